#pragma once
// Strings written into the YAML files mlops makes (pointer files, schemas, DVC's `.dvc` files,
// MLflow's meta.yaml), so that every reader, YAML 1.1 or 1.2 (yaml-cpp, PyYAML, ruamel), reads
// back the same string, and the same string always gives the same bytes.
#include <string>
#include <string_view>

namespace mlops {

// Whether `text` may be written plain (unquoted) in block and flow context: ASCII letters, digits
// and `_ - . /` only; a letter, '_', '/' or '.' first (a digit, '-' or '+' first may read as a number,
// a date or a list item), where a '.' is not followed by another '.' nor starts what PyYAML takes
// for a float (".5", "._1e-3"); and not a word some reader takes for a boolean, null or number
// ("yes", "Off", "n", "null", ".inf", "nan", ... in any case).
bool yaml_plain_safe(std::string_view text);

// `text` double-quoted: `"` and `\` escaped, newline, tab and CR as \n \t \r, the other control
// bytes (and DEL) as \xNN; other bytes (UTF-8) as they are.
std::string yaml_double_quoted(std::string_view text);

// `text` plain when yaml_plain_safe, else double-quoted.
std::string yaml_scalar(std::string_view text);

}  // namespace mlops
