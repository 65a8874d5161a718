#pragma once
// An owned libgit2 object: `Owned<git_tree, git_tree_free> tree;` frees it when it goes out of
// scope. Pass `&tree.ptr` to the libgit2 call that fills it.

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

}  // namespace mlops::git
