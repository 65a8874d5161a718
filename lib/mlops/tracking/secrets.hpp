#pragma once
// Keeping credentials out of run records (docs/runs.md, "Secrets"). Runs travel to shared
// remotes and into registry tags, so what a run records is scrubbed before it is stored:
//  - values that look like credentials become [redacted]: AWS access key ids, API keys of the
//    well-known shapes (sk-..., ghp_..., xoxb-..., AIza..., hf_...), private-key blocks, bearer
//    tokens, passwords in URLs, the value after a --token/--api-key/--password-style flag, and
//    the value of an assignment whose name says it is a secret (API_KEY=..., password: ...,
//    "client_secret": "...");
//  - files that hold credentials by their name (.env, *.pem, id_rsa, .netrc, ...) are left out
//    of a run's git.diff altogether.
// The scanners are hand-written and linear in their input (a diff may be megabytes).
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// What a redacted value is replaced by; the real values are never kept.
inline constexpr std::string_view kRedacted = "[redacted]";
// The tag that says what was redacted in a run (runs show prints it): a JSON object
// {"command": N, "params": [KEY...], "tags": [KEY...], "variables": N, "diff": N,
//  "output": N, "files": [PATH...]} with only the parts that had something redacted.
inline constexpr std::string_view kRedactedTag = "mlops.redacted";

// Whether an environment variable's name suggests a secret: it contains TOKEN, SECRET,
// PASSWORD, PASSWD, KEY, CREDENTIAL or AUTH (any case). Such variables are recorded as [redacted].
bool is_secret_name(std::string_view name);
// Whether a param's, tag's, flag's or assignment's name says its value is a secret: its last
// word is password, passwd, passphrase, secret, token, credential(s) or apikey, or it ends in
// KEY after api, access, secret, private, auth, client, signing, encryption or master (api_key,
// AWS_SECRET_ACCESS_KEY, apiKey), or it is an upper-case environment-style name ending in KEY
// (STRIPE_KEY). Words split at '_', '-', '.' and lower-to-upper case changes; `tokenizer`,
// `max_tokens` and `sort_key` are not secrets.
bool is_secret_key(std::string_view name);

// `text` with every credential-looking value replaced by [redacted]; line breaks are kept (a
// private-key block keeps its BEGIN and END lines and each line between becomes [redacted]).
// Adds the number of replacements to `*count` when given.
std::string redact_text(std::string_view text, std::size_t* count = nullptr);

// A command line: each word is redacted as text, and the word after a flag whose name is a
// secret key (--token X, --api-key X, --password X) becomes [redacted]. Returns the count.
std::size_t redact_command(std::vector<std::string>& argv);

// Params or tags: a value whose key is a secret key becomes [redacted] whole; others are
// redacted as text. Returns the keys whose values changed.
std::vector<std::string> redact_pairs(std::map<std::string, std::string>& pairs);

// A patch in git's format: only the added lines are redacted, so that the patch still applies
// to the commit it was made against (the rebuilt file then holds [redacted] where the value was).
// Returns the count.
std::size_t redact_patch(std::string& patch);

// What was redacted in one run, kept in its kRedactedTag tag so that `runs show` can say so.
struct Redactions {
  std::size_t command = 0;          // values in the recorded command
  std::vector<std::string> params;  // keys whose values were redacted
  std::vector<std::string> tags;    // keys whose values were redacted
  std::size_t diff = 0;             // values in git.diff
  std::size_t output = 0;           // values in output.log
  std::vector<std::string> files;   // credential files left out of git.diff

  bool empty() const;
  // Adds `other` to this (keys and files once each).
  void merge(const Redactions& other);
  std::string to_json() const;
  // The tag's text; anything unreadable reads as nothing.
  static Redactions from_json(std::string_view text);
  // "command (1 value), params api_key, git.diff (2 values)": the redacted parts, or "" for none.
  std::string describe_values() const;
};

// Copies the text file `from` to `to` (created or truncated, mode 0600) line by line, redacted as
// text; for a command's output log. Returns the count.
Result<std::size_t> redact_file(const std::filesystem::path& from, const std::filesystem::path& to);

// The file-name patterns of credential files left out of a run's diff by default.
const std::vector<std::string>& default_credential_files();
// The patterns in force: the defaults, plus `runs.secret_files` in .mlops/config.yaml (a list of
// glob patterns; one starting with '!' is a negation, as in .gitignore: a path it matches is not
// a credential file). A malformed list is bad input naming the file.
Result<std::vector<std::string>> credential_file_patterns(const Repo& repo);
// Whether the repo-relative `path` matches one of `patterns` and none of the negations ('!'): a
// pattern without '/' matches the file name (at any depth), one with '/' the whole path (fnmatch).
bool is_credential_file(std::string_view path, const std::vector<std::string>& patterns);

// Redacts what a run record carries as text before it is stored — its command, params and tags
// (variables are redacted when they are captured) — and notes what it redacted in the record's
// kRedactedTag tag, merged with `also` (a diff's or log's redactions).
Redactions redact_record(RunRecord& record, const Redactions& also = {});

}  // namespace mlops::tracking
