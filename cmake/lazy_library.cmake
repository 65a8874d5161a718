# Lazy loading of a shared library (x86-64): instead of linking it, every function it exports gets
# a small trampoline; the first call of a function looks that one function up (dlopen()ing the
# library the first time any is called: lib/mlops/core/lazy_library.hpp) and fills its slot of a
# table; later calls are one indirect jump. A function the installed library lacks breaks only
# the call that needs it (it throws mlops::Failure, exit 3), not every call.
#
# mlops_lazy_trampolines(<prefix> <output.S> <library description> <function>...)
#   writes the assembly of the trampolines: <prefix>_table, <prefix>_names, and one global hidden
#   symbol per function; the program defines `extern "C" void* <prefix>_resolve(std::size_t index)`.
function(mlops_lazy_trampolines prefix output library)
  set(names ${ARGN})
  set(stubs "")
  set(strings "")
  set(index 0)
  foreach(name ${names})
    math(EXPR offset "${index} * 8")
    string(APPEND stubs "\t.globl ${name}\n\t.hidden ${name}\n\t.type ${name}, @function\n\t.p2align 4\n${name}:\n"
           "\tmovq ${prefix}_table+${offset}(%rip), %r11\n\ttestq %r11, %r11\n\tjz 1f\n\tjmpq *%r11\n"
           "1:\tmovl $${index}, %r11d\n\tjmp ${prefix}_first_call\n\t.size ${name}, .-${name}\n")
    string(APPEND strings "\t.asciz \"${name}\"\n")
    math(EXPR index "${index} + 1")
  endforeach()
  set(count ${index})
  set(MLOPS_LAZY_LIBRARY ${library})
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/lazy_trampolines.S.in ${output} @ONLY)
endfunction()
