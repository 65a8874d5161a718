#pragma once
// Edits of the `remotes:` section of a config file that keep the rest of the file as its author
// wrote it: comments, blank lines, key order, quoting and block style. The file is edited as text,
// line by line, where yaml-cpp says each remote and each setting is; the result is parsed again and
// must mean exactly what the same edit of the parsed tree means, or it is not used.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

// One change to `remotes:`. `set` writes NAME.KEY (adding the remote and the section as needed),
// `unset` removes NAME.KEY (and the remote once it has no key left), `remove_remote` removes NAME.
struct RemoteEdit {
  enum class Op { set, unset, remove_remote };
  Op op;
  std::string name;
  std::string key;
  std::string value;
};

// `text` with `edits` applied in order, as text; nullopt when nothing changed (every edit was an
// unset of something absent), and the whole file written again by yaml-cpp, in block style, when
// its layout is one a line edit cannot handle safely (a flow mapping `{url: x}` with content, a
// value on a line of its own). Throws nothing; malformed YAML is the caller's to report first.
struct EditedText {
  std::string text;
  bool rewritten = false;  // true: comments were lost (the text could not be edited in place)
};
std::optional<EditedText> edit_remotes_text(std::string_view text, const std::vector<RemoteEdit>& edits);

}  // namespace mlops
