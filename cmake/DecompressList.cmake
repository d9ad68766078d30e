# cmake -DXZ=xz -DIN=<file.xz> -DOUT=<file> -DNAME=<path in SUMS> -DSUMS=<SHA256SUMS>
#       -P DecompressList.cmake
# Decompresses one bundled list file and checks its SHA-256 against the line
# for NAME in SHA256SUMS (sha256sum format); a missing line or a different
# digest is an error naming the file, and OUT is then not written.
get_filename_component(_dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${_dir})
execute_process(COMMAND ${XZ} -dc ${IN} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE _rc
                ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${IN}: xz -d failed (${_rc}): ${_err}")
endif()
file(STRINGS ${SUMS} _lines)
set(_want "")
foreach(_line ${_lines})
  if(_line MATCHES "^([0-9a-f]+)  (.+)$" AND CMAKE_MATCH_2 STREQUAL NAME)
    set(_want ${CMAKE_MATCH_1})
  endif()
endforeach()
file(SHA256 ${OUT}.tmp _got)
if(_want STREQUAL "")
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${SUMS}: no SHA-256 line for ${NAME}")
endif()
if(NOT _got STREQUAL _want)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${IN}: decompressed SHA-256 ${_got}, expected ${_want} (${SUMS})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
