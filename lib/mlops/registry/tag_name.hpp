#pragma once
// Registry tag names, as GTO (iterative/gto, gto/constants.py `tag_re`) writes and reads them:
//   NAME@vX.Y.Z        register a version          NAME@vX.Y.Z!       deregister it
//   NAME#STAGE#N       assign STAGE to a version   NAME#STAGE!#N      unassign it
//   NAME@deprecated    deprecate the model         NAME@created       (GTO reserves it; ignored)
// Any of them may end in "#N", a counter that orders tags of one model written within a second.
// NAME is GTO's name rule (letters, digits, '-', '_', '/', alphanumeric at both ends), optionally
// prefixed "DIR=" (GTO's "DIR:NAME" artifacts, with ':' written '=' in tags); STAGE follows the
// name rule too.
#include <optional>
#include <string>
#include <string_view>

namespace mlops::registry {

enum class Action { register_version, deregister_version, assign, unassign, deprecate, create };
std::string_view to_string(Action action);  // "registration", "deregistration", "assignment", ...

struct TagName {
  std::string model;  // "churn", "dir:churn" for a "dir=churn" tag
  Action action = Action::register_version;
  std::string version;  // register/deregister: "v1.2.3"
  std::string stage;    // assign/unassign
  std::optional<long long> counter;

  std::string str() const;  // the tag name; the inverse of parse_tag_name
};

// The tag name parsed, or nullopt when it is not a registry tag.
std::optional<TagName> parse_tag_name(std::string_view tag);

// GTO's name rule, for model names and stages.
bool valid_name(std::string_view name);
// A model's full name: NAME, or GTO's "DIR:NAME" (written "DIR=NAME" in tags).
bool valid_model_name(std::string_view name);

}  // namespace mlops::registry
