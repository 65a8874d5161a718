#pragma once
// Prompt files (docs/prompts.md): `prompts/NAME.prompt`, a YAML front matter between two "---"
// lines and a template body (template.hpp).
//   ---
//   name: support            # the registry name; the file's stem when absent
//   model: local/echo
//   config: {temperature: 0.2, max_tokens: 256}
//   input:
//     schema:                # Picoschema: NAME or NAME? (optional), then (TYPE[, DESCRIPTION])
//       question: string, what the customer asked
//       context?(array): string
//     untrusted: [question]  # values from outside: lint wants them fenced
//   output: {format: json, schema: schemas/answer.json}
//   metadata: {owner: support-team}
//   ---
//   {{role "system"}} ...
// A prompt's version is the hash of its normalised text (normalise_prompt), so re-saving a file
// with CRLF line ends or trailing blanks does not make a new version, and two files with one
// version render alike: parsing reads the normalised text too.
#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/llm/template.hpp"

namespace mlops::llm {

// One declared input variable (or a field of an object variable).
struct PromptVariable {
  std::string name;
  std::string type = "any";  // string | number | integer | boolean | object | array | null | any
  bool required = true;
  std::string description;
  std::vector<PromptVariable> fields;  // an object's fields, or an array's items' fields
  Position at;                         // where it is declared in the file
};

// A prompt file parsed. The file's bytes are first normalised (normalise_prompt).
struct Prompt {
  std::string file;                                    // as named in errors ("prompts/support.prompt")
  std::string name;                                    // front matter `name`, else the file's stem
  std::string model;                                   // "" when absent
  nlohmann::json config = nlohmann::json::object();    // `config` as given (temperature, top_p, ...)
  nlohmann::json metadata = nlohmann::json::object();  // `metadata` as given
  bool has_front_matter = false;
  bool has_schema = false;  // `input.schema` is present (else every printed variable is required)
  std::vector<PromptVariable> variables;
  std::vector<std::string> untrusted;                  // `input.untrusted`
  nlohmann::json defaults = nlohmann::json::object();  // `input.default`: values used when not given
  std::string output_format = "text";                  // `output.format`: text | json
  std::string output_schema;  // `output.schema`: a JSON Schema file, relative to the prompt's folder
  std::string body;           // the template text
  Position body_at;           // where the body starts in the file
  Template tmpl;              // the body parsed
  Hash version;               // hash of the normalised file (prompt_version)

  // "xxh3:" + 32 hex digits; short_version() is the first 12 hex digits (as `prompt list` shows).
  std::string version_string() const { return version.str(); }
  std::string short_version() const { return version.hex().substr(0, 12); }
  // The dotted paths that may be missing when rendering: optional variables and their fields.
  std::set<std::string, std::less<>> optional_paths() const;
  // Whether input.schema declares `path` ("customer.name"): its first name is a variable, and each
  // next name a field of an object that lists fields (below `any` or a bare `object`, anything is).
  bool declares(std::string_view path) const;
  // Every declared path, fields of objects included ("customer", "customer.name"), for "did you mean".
  std::vector<std::string> declared_paths() const;
  // The declared path closest to an undeclared `path` (core/suggest.hpp's rule), or "".
  std::string closest_declared(std::string_view path) const;
};

// Strips a UTF-8 byte order mark, turns CRLF and lone CR into LF, removes spaces and tabs at the
// ends of lines, and ends the text with exactly one newline (no trailing blank lines).
std::string normalise_prompt(std::string_view text);
// The version of a prompt file's text: the hash of normalise_prompt(text).
Hash prompt_version(std::string_view text);

// The front matter and body of a prompt's (normalised) text, without interpreting either.
struct PromptParts {
  bool has_front_matter = false;
  std::string front_matter;   // the YAML between the "---" lines
  int front_matter_line = 2;  // the file line of the YAML's first line
  std::string body;
  int body_line = 1;  // the file line where the body starts
};
// Bad input when the text opens a front matter ("---" on line 1) that no "---" line closes.
Result<PromptParts> split_prompt(std::string_view normalised, std::string_view file);

// Why a prompt file could not be read, and where.
struct PromptError {
  enum class Kind { encoding, front_matter, template_syntax } kind = Kind::front_matter;
  Position at;  // front matter problems know their line only (column 1)
  std::string message;
  std::string hint;
  // Bad input: "'FILE' line L: MESSAGE" (template problems: "'FILE' line L, column C: MESSAGE").
  Error to_error(std::string_view file) const;
};
// As parse_prompt, with the problem's position apart (for lint).
std::expected<Prompt, PromptError> read_prompt(std::string_view text, std::string_view file);

// Parses a prompt's text; `file` names it in errors ("'prompts/a.prompt' line 3: ..."), and its
// stem is the default name. Malformed UTF-8, front matter or template: bad input with the line.
// Unknown front matter keys are accepted here (lint reports them).
Result<Prompt> parse_prompt(std::string_view text, std::string_view file);
// A prompt file's bytes; errors name `path` made lexically normal: eval.yaml's
// "../prompts/a.prompt" read from scratch/ is 'prompts/a.prompt', not 'scratch/../prompts/a.prompt'.
Result<std::string> read_prompt_file(const std::filesystem::path& path);
// Reads and parses a prompt file, named in errors by its path made lexically normal.
Result<Prompt> load_prompt(const std::filesystem::path& path);

// Renders `prompt` against `vars` (a JSON object): `input.default` fills what is not given, every
// required declared variable must be given (else bad input naming it, even when the body does not
// print it), and optional ones that are missing print as "". With an input.schema, values it does
// not declare are ignored (undeclared_values names them), so the template sees only what the schema
// promises; a template that prints an undeclared path fails as missing, with a hint that names the
// declared path it probably meant (lint reports it as P401).
Result<Rendered> render_prompt(const Prompt& prompt, const nlohmann::json& vars);

// The dotted paths of `vars` that `prompt`'s input.schema does not declare ("topic",
// "customer.email" when customer lists its fields), which render_prompt ignores; none without a
// schema.
std::vector<std::string> undeclared_values(const Prompt& prompt, const nlohmann::json& vars);

// The offset of the first byte that is not UTF-8, or nullopt.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace mlops::llm
