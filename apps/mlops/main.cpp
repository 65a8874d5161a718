#include "mlops/cli/app.hpp"

int main(int argc, char** argv) { return mlops::cli::main(argc, argv); }
