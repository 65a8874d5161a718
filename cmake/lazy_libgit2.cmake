# Lazy loading of libgit2 (x86-64). libgit2 and the ~20 shared libraries it pulls in (TLS, SSH,
# Kerberos, PCRE, ...) cost a few milliseconds of dynamic loading on every start, yet most commands
# (log metric, data status, --version) never call it. Instead of linking it, every function
# libgit2 exports gets a small trampoline in mlopslib: the first call to any of them dlopen()s
# the library (lib/mlops/git/libgit2_lazy.cpp), fills a table of addresses and jumps on; later
# calls are one indirect jump. The trampolines are generated from the library installed at
# configure time, so code under lib/mlops/git/ calls libgit2 exactly as if it were linked.
#
# In:  LIBGIT2_LINK_LIBRARIES (pkg-config's full path of libgit2.so)
# Out: MLOPS_LIBGIT2_SONAME, MLOPS_LIBGIT2_LAZY_SOURCE (the generated assembly file)

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

set(stubs "")
set(strings "")
set(index 0)
foreach(name ${names})
  math(EXPR offset "${index} * 8")
  string(APPEND stubs "\t.globl ${name}\n\t.hidden ${name}\n\t.type ${name}, @function\n\t.p2align 4\n${name}:\n"
         "\tmovq mlops_libgit2_table+${offset}(%rip), %r11\n\ttestq %r11, %r11\n\tjz 1f\n\tjmpq *%r11\n"
         "1:\tmovl $${index}, %r11d\n\tjmp mlops_libgit2_first_call\n\t.size ${name}, .-${name}\n")
  string(APPEND strings "\t.asciz \"${name}\"\n")
  math(EXPR index "${index} + 1")
endforeach()

set(MLOPS_LIBGIT2_LAZY_SOURCE ${CMAKE_BINARY_DIR}/generated/libgit2_lazy.S)
configure_file(${CMAKE_CURRENT_LIST_DIR}/libgit2_lazy.S.in ${MLOPS_LIBGIT2_LAZY_SOURCE} @ONLY)
message(STATUS "lazy libgit2: ${count} functions of ${MLOPS_LIBGIT2_SONAME} load on first use")
