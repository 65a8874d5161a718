#pragma once
// Helpers for the files of this folder (they include <git2.h>; nothing outside git/ does).
// An owned libgit2 object: `Owned<git_tree, git_tree_free> tree;` frees it when it goes out of
// scope. Pass `&tree.ptr` to the libgit2 call that fills it.
#include <git2.h>

#include <string>

namespace mlops::git {

template <class T, void (*Free)(T*)>
struct Owned {
  T* ptr = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (ptr) Free(ptr);
  }
};

// The 40-digit hex form of a git object id.
inline std::string oid_hex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

}  // namespace mlops::git
