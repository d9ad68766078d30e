# The list files carried in the repository (data/lists/bundled/**/*.xz: UN,
# OFAC and CSL, redistributable; see data/lists/bundled/SOURCES.md) are
# decompressed into ${DUALUSE_LISTS_DIR} = <build>/data/lists, same layout
# without the .xz, each checked against data/lists/bundled/SHA256SUMS.
# Target dualuse_lists_data (part of ALL; every test program depends on it).
set(DUALUSE_BUNDLED_LISTS ${PROJECT_SOURCE_DIR}/data/lists/bundled)
set(DUALUSE_LISTS_DIR ${PROJECT_BINARY_DIR}/data/lists)
find_program(XZ_PROGRAM xz)
if(NOT XZ_PROGRAM)
  message(FATAL_ERROR "xz not found: needed to decompress data/lists/bundled (Debian: xz-utils)")
endif()
file(GLOB_RECURSE _bundled RELATIVE ${DUALUSE_BUNDLED_LISTS} CONFIGURE_DEPENDS
     ${DUALUSE_BUNDLED_LISTS}/*.xz)
set(_outputs)
foreach(_rel ${_bundled})
  string(REGEX REPLACE "\\.xz$" "" _name ${_rel})
  add_custom_command(
    OUTPUT ${DUALUSE_LISTS_DIR}/${_name}
    COMMAND ${CMAKE_COMMAND} -DXZ=${XZ_PROGRAM} -DIN=${DUALUSE_BUNDLED_LISTS}/${_rel}
            -DOUT=${DUALUSE_LISTS_DIR}/${_name} -DNAME=${_name}
            -DSUMS=${DUALUSE_BUNDLED_LISTS}/SHA256SUMS
            -P ${CMAKE_CURRENT_LIST_DIR}/DecompressList.cmake
    DEPENDS ${DUALUSE_BUNDLED_LISTS}/${_rel} ${DUALUSE_BUNDLED_LISTS}/SHA256SUMS
            ${CMAKE_CURRENT_LIST_DIR}/DecompressList.cmake
    COMMENT "Decompressing bundled list ${_name}"
    VERBATIM)
  list(APPEND _outputs ${DUALUSE_LISTS_DIR}/${_name})
endforeach()
add_custom_target(dualuse_lists_data ALL DEPENDS ${_outputs})
