# Lazy loading of libcurl and libcrypto (x86-64; cmake/lazy_library.cmake), for the S3 client
# (lib/mlops/s3/). Only commands that talk to an S3 remote need them; libcurl alone brings in ~30
# shared libraries (OpenSSL, nghttp2, libssh2, LDAP, Kerberos, ...), which would cost every start
# of mlops several milliseconds of dynamic loading. libcurl is the OpenSSL flavour, so the
# libcrypto loaded here is the one libcurl itself uses.
#
# In:  LIBCURL_LINK_LIBRARIES, LIBCRYPTO_LINK_LIBRARIES (pkg-config's full paths)
# Out: MLOPS_LIBCURL_SONAME, MLOPS_LIBCURL_PACKAGE, MLOPS_LIBCRYPTO_SONAME, MLOPS_LIBCRYPTO_PACKAGE,
#      MLOPS_S3_LAZY_SOURCES (the generated assembly files)

include(${CMAKE_CURRENT_LIST_DIR}/lazy_library.cmake)

# The path of `lib<name>.so` among pkg-config's libraries, its SONAME and its Debian package.
function(mlops_s3_library_facts variable name paths)
  list(FILTER paths INCLUDE REGEX "lib${name}\\.so$")
  if(NOT paths)
    message(FATAL_ERROR "lazy S3 libraries: pkg-config gave no path to lib${name}.so; configure with -DMLOPS_LAZY_S3=OFF")
  endif()
  list(GET paths 0 library)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${library})
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${library} OUTPUT_VARIABLE headers RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT headers MATCHES "SONAME +([^\n ]+)")
    message(FATAL_ERROR "lazy S3 libraries: cannot read the SONAME of ${library}")
  endif()
  set(${variable}_SONAME ${CMAKE_MATCH_1} PARENT_SCOPE)
  set(${variable}_PATH ${library} PARENT_SCOPE)
  get_filename_component(real_library ${library} REALPATH)
  execute_process(COMMAND dpkg-query -S ${real_library} OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND owner MATCHES "^([a-z0-9.+-]+)(:[a-z0-9]+)?: ")
    set(${variable}_PACKAGE ${CMAKE_MATCH_1} PARENT_SCOPE)
  else()
    set(${variable}_PACKAGE "" PARENT_SCOPE)
  endif()
endfunction()

mlops_s3_library_facts(MLOPS_LIBCURL curl "${LIBCURL_LINK_LIBRARIES}")
mlops_s3_library_facts(MLOPS_LIBCRYPTO crypto "${LIBCRYPTO_LINK_LIBRARIES}")

# libcurl exports only functions named curl_*: a trampoline for each.
execute_process(COMMAND ${CMAKE_NM} -D --defined-only ${MLOPS_LIBCURL_PATH} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lazy S3 libraries: cannot list the symbols of ${MLOPS_LIBCURL_PATH}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(curl_names "")
foreach(line ${lines})
  if(line MATCHES "^[0-9a-f]+ T (curl_[A-Za-z0-9_]+)(@.*)?$")
    list(APPEND curl_names ${CMAKE_MATCH_1})
  endif()
endforeach()
list(REMOVE_DUPLICATES curl_names)
if(NOT curl_names)
  message(FATAL_ERROR "lazy S3 libraries: no curl_* function found in ${MLOPS_LIBCURL_PATH}")
endif()

# libcrypto exports thousands of functions; lib/mlops/s3/crypto.cpp calls these.
set(crypto_names EVP_Digest EVP_sha256 EVP_md5 EVP_EncodeBlock HMAC)

set(MLOPS_S3_LAZY_SOURCES ${CMAKE_BINARY_DIR}/generated/libcurl_lazy.S ${CMAKE_BINARY_DIR}/generated/libcrypto_lazy.S)
mlops_lazy_trampolines(mlops_libcurl ${CMAKE_BINARY_DIR}/generated/libcurl_lazy.S ${MLOPS_LIBCURL_SONAME} ${curl_names})
mlops_lazy_trampolines(mlops_libcrypto ${CMAKE_BINARY_DIR}/generated/libcrypto_lazy.S ${MLOPS_LIBCRYPTO_SONAME} ${crypto_names})
list(LENGTH curl_names curl_count)
message(STATUS "lazy S3 libraries: ${curl_count} functions of ${MLOPS_LIBCURL_SONAME}, 5 of ${MLOPS_LIBCRYPTO_SONAME}")
