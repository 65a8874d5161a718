# Lazy loading of libgit2 (x86-64; cmake/lazy_library.cmake). libgit2 and the ~20 shared
# libraries it pulls in (TLS, SSH, Kerberos, PCRE, ...) cost a few milliseconds of dynamic loading
# on every start, yet most commands (log metric, data status, --version) never call it. The
# trampolines are generated from the library installed at configure time, so code under
# lib/mlops/git/ calls libgit2 exactly as if it were linked.
#
# In:  LIBGIT2_LINK_LIBRARIES (pkg-config's full path of libgit2.so)
# Out: MLOPS_LIBGIT2_SONAME, MLOPS_LIBGIT2_LAZY_SOURCE (the generated assembly file)

include(${CMAKE_CURRENT_LIST_DIR}/lazy_library.cmake)

list(FILTER LIBGIT2_LINK_LIBRARIES INCLUDE REGEX "libgit2\\.so$")
if(NOT LIBGIT2_LINK_LIBRARIES)
  message(FATAL_ERROR "lazy libgit2: pkg-config gave no path to libgit2.so; configure with -DMLOPS_LAZY_LIBGIT2=OFF")
endif()
list(GET LIBGIT2_LINK_LIBRARIES 0 library)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${library})

execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${library} OUTPUT_VARIABLE headers RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT headers MATCHES "SONAME +([^\n ]+)")
  message(FATAL_ERROR "lazy libgit2: cannot read the SONAME of ${library}")
endif()
set(MLOPS_LIBGIT2_SONAME ${CMAKE_MATCH_1})

# Only functions are exported by libgit2 (no data): a trampoline stands for each of them.
execute_process(COMMAND ${CMAKE_NM} -D --defined-only ${library} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lazy libgit2: cannot list the symbols of ${library}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(names "")
foreach(line ${lines})
  if(line MATCHES "^[0-9a-f]+ ([A-Za-z]) ((git|giterr)_[A-Za-z0-9_]+)$")
    if(NOT CMAKE_MATCH_1 STREQUAL "T")
      message(FATAL_ERROR "lazy libgit2: ${CMAKE_MATCH_2} is not a function; configure with -DMLOPS_LAZY_LIBGIT2=OFF")
    endif()
    list(APPEND names ${CMAKE_MATCH_2})
  endif()
endforeach()
list(LENGTH names count)
if(count EQUAL 0)
  message(FATAL_ERROR "lazy libgit2: no git_* function found in ${library}")
endif()

set(MLOPS_LIBGIT2_LAZY_SOURCE ${CMAKE_BINARY_DIR}/generated/libgit2_lazy.S)
mlops_lazy_trampolines(mlops_libgit2 ${MLOPS_LIBGIT2_LAZY_SOURCE} ${MLOPS_LIBGIT2_SONAME} ${names})
message(STATUS "lazy libgit2: ${count} functions of ${MLOPS_LIBGIT2_SONAME}, each looked up on its first call")

# The Debian package that provides the library, for the error's hint and the .deb's dependencies
# (dpkg-shlibdeps cannot see a library that is dlopen()ed).
get_filename_component(real_library ${library} REALPATH)
execute_process(COMMAND dpkg-query -S ${real_library} OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
if(rc EQUAL 0 AND owner MATCHES "^([a-z0-9.+-]+)(:[a-z0-9]+)?: ")
  set(MLOPS_LIBGIT2_PACKAGE ${CMAKE_MATCH_1})
else()
  set(MLOPS_LIBGIT2_PACKAGE "")
endif()
