# Helpers shared by every module's CMakeLists.txt.

# Warnings as errors for our own code only (not for third-party headers).
function(dualuse_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
    -Wno-missing-field-initializers)
endfunction()

# dualuse_module(NAME <name> SOURCES <...> DEPS <...>)
# Defines static library dualuse_<name> with the public include dir.
function(dualuse_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(dualuse_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(dualuse_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(dualuse_${M_NAME} PRIVATE DUALUSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(dualuse_${M_NAME} PUBLIC ${M_DEPS})
  dualuse_warnings(dualuse_${M_NAME})
endfunction()

# dualuse_tests(NAME <name> SOURCES <...> DEPS <...> [LABELS <...>])
# One GoogleTest executable per module; every TEST shows up in ctest.
function(dualuse_tests)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT DUALUSE_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(${T_NAME} PRIVATE DUALUSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DUALUSE_SHARED_DIR="${DUALUSE_SHARED_DIR}"
    DUALUSE_LISTS_DIR="${DUALUSE_LISTS_DIR}"
    DUALUSE_BINARY="${PROJECT_BINARY_DIR}/dualuse")
  add_dependencies(${T_NAME} dualuse_lists_data)
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  dualuse_warnings(${T_NAME})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
