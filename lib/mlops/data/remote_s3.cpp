#include "mlops/data/remote_s3.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <set>
#include <unordered_set>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/remote_known.hpp"
#include "mlops/data/remote_settings.hpp"
#include "mlops/s3/client.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

// Objects per batch handed to the client: big enough to keep every connection busy, small enough
// that a killed push has recorded most of what it sent, and (downloads) that the temp files of
// one batch stay well within the open-file limit.
constexpr std::size_t kUploadBatch = 2000;
constexpr std::size_t kDownloadBatch = 256;

std::string object_key(const Hash& hash) {
  std::string hex = hash.hex();
  return hex.substr(0, 2) + "/" + hex.substr(2);
}

// "ab/cdef…" (32 hex digits in all) back to its hash; nullopt for anything else.
std::optional<Hash> hash_of_key(std::string_view key) {
  if (key.size() != 33 || key[2] != '/') return std::nullopt;
  return Hash::parse_hex(std::string(key.substr(0, 2)) + std::string(key.substr(3)));
}

class S3Remote : public Remote {
 public:
  S3Remote(std::string url, std::unique_ptr<s3::Client> client, std::unique_ptr<KnownObjects> known, Verify verify)
      : url_(std::move(url)), client_(std::move(client)), known_(std::move(known)), verify_(verify) {}
  // A bucket that was deleted took every object with it: what this machine remembers about it is
  // forgotten, so that pushes to a recreated bucket send everything again.
  ~S3Remote() override {
    if (client_->bucket_missing()) (void)known_->forget_all();
  }

  std::string describe() const override { return url_; }
  std::uint64_t requests() const override { return client_->stats().requests; }

  bool remembers_contents() const override { return verify_ == Verify::no; }

  Result<std::vector<bool>> contains(const std::vector<Hash>& hashes, Verify ask_again = Verify::no) const override {
    const Verify verify = ask_again == Verify::yes ? Verify::yes : verify_;
    std::vector<bool> found(hashes.size(), false);
    std::vector<std::size_t> ask;  // indexes of the hashes the remote must be asked about
    if (verify == Verify::no) {
      auto known = known_->known(hashes);
      if (!known) return std::unexpected(known.error());
      for (std::size_t i = 0; i < hashes.size(); ++i) {
        if ((*known)[i]) {
          found[i] = true;
        } else {
          ask.push_back(i);
        }
      }
    } else {
      for (std::size_t i = 0; i < hashes.size(); ++i) ask.push_back(i);
    }
    if (ask.empty()) return found;

    // LIST of the fan-out folders involved, or one HEAD per object: whichever sends fewer
    // requests. A folder lists 1,000 keys a page; the remote's size is estimated from what we know.
    std::set<std::string> folders;
    for (auto i : ask) folders.insert(hashes[i].hex().substr(0, 2));
    auto known_count = known_->count();
    std::size_t per_folder = known_count ? *known_count / 256 : 0;
    std::size_t pages = folders.size() * (1 + per_folder / 1000);
    std::vector<Hash> present, absent;
    if (pages < ask.size()) {
      std::vector<std::string> prefixes(folders.begin(), folders.end());
      for (auto& p : prefixes) p += "/";
      auto listings = client_->list_many(prefixes);
      std::unordered_set<std::string> on_remote;
      std::vector<Hash> seen;
      for (auto& listing : listings) {
        if (!listing) return std::unexpected(listing.error());
        for (const auto& object : *listing) {
          if (auto h = hash_of_key(object.key)) {
            on_remote.insert(h->hex());
            seen.push_back(*h);
          }
        }
      }
      for (auto i : ask) {
        found[i] = on_remote.contains(hashes[i].hex());
        (found[i] ? present : absent).push_back(hashes[i]);
      }
      present = std::move(seen);  // a listing tells about every object in those folders
    } else {
      std::vector<std::string> keys;
      keys.reserve(ask.size());
      for (auto i : ask) keys.push_back(object_key(hashes[i]));
      auto heads = client_->head_many(keys);
      for (std::size_t j = 0; j < ask.size(); ++j) {
        if (!heads[j]) return std::unexpected(heads[j].error());  // 403: cannot tell, never "missing"
        found[ask[j]] = heads[j]->has_value();
        (found[ask[j]] ? present : absent).push_back(hashes[ask[j]]);
      }
      // A HEAD's 404 has no body to tell a missing object from a missing bucket; a LIST says
      // NoSuchBucket (exit 3, naming the bucket), so one is sent, once, before "missing" is believed.
      if (!absent.empty() && !bucket_seen_) {
        auto listing = client_->list(object_key(absent.front()));
        if (!listing) return std::unexpected(listing.error());
        bucket_seen_ = true;
      }
    }
    MLOPS_TRY(known_->add(present));
    if (verify == Verify::yes) MLOPS_TRY(known_->forget(absent));
    return found;
  }

  Result<void> upload(const Hash& hash, const fs::path& object) const override {
    auto result = upload_batch({hash}, {object});
    return result;
  }

  Result<void> upload_many(const std::vector<Hash>& hashes, const Cache& cache, const Advance& advance) const override {
    for (std::size_t start = 0; start < hashes.size(); start += kUploadBatch) {
      std::vector<Hash> batch(
          hashes.begin() + static_cast<std::ptrdiff_t>(start),
          hashes.begin() + static_cast<std::ptrdiff_t>(std::min(hashes.size(), start + kUploadBatch)));
      std::vector<fs::path> files;
      for (const auto& h : batch) files.push_back(cache.object_path(h));
      std::vector<std::uint64_t> sizes;
      auto r = upload_batch(batch, files, &sizes);
      for (auto size : sizes) advance(size);
      if (!r) return r;
    }
    return {};
  }

  Result<void> download(const Hash& hash, const Cache& cache) const override {
    return download_many({hash}, cache, [](std::uint64_t) {}).front();
  }

  std::vector<Result<void>> download_many(const std::vector<Hash>& hashes, const Cache& cache,
                                          const Advance& advance) const override {
    std::vector<Result<void>> results(hashes.size());
    // Ask first (free when the objects are known): an object that is not there is bad input, as
    // on a path remote, so that `data pull` fetches the rest and names what is missing.
    auto present = contains(hashes);
    if (!present) {
      for (auto& r : results) r = std::unexpected(present.error());
      return results;
    }
    std::vector<std::size_t> wanted;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      if ((*present)[i]) {
        wanted.push_back(i);
      } else {
        results[i] = std::unexpected(bad_input(
            fmt::format("object {} is not on remote '{}'", hashes[i].str(), url_),
            "push it from a clone that has it: 'mlops data push' (a run's artifact: 'mlops runs push --verify ID')"));
      }
    }
    for (std::size_t start = 0; start < wanted.size(); start += kDownloadBatch) {
      std::size_t end = std::min(wanted.size(), start + kDownloadBatch);
      std::vector<AtomicFile> temps;
      std::vector<s3::Client::Download> items;
      std::vector<std::size_t> indexes;
      for (std::size_t j = start; j < end; ++j) {
        auto temp = AtomicFile::create(cache.tmp() / "download", cache.tmp());
        if (!temp) {
          results[wanted[j]] = std::unexpected(temp.error());
          continue;
        }
        items.push_back({object_key(hashes[wanted[j]]), temp->temp_path(), temp->fd()});
        temps.push_back(std::move(*temp));
        indexes.push_back(wanted[j]);
      }
      // Each object is verified and published as soon as it is in, while the rest of the batch
      // is still in flight: done one after another at the end, this work left the connections
      // idle (a pull of 20,000 small files took 1.4x as long as rclone's). A corrupt one is
      // dealt with after the batch, as that needs the client again.
      std::vector<std::size_t> corrupt;
      auto downloaded = client_->download(items, [&](std::size_t k) {
        std::size_t i = indexes[k];
        auto actual = hash_written(temps[k]);
        if (!actual) {
          results[i] = std::unexpected(actual.error());
        } else if (*actual != hashes[i]) {
          corrupt.push_back(k);
        } else {
          results[i] = publish(hashes[i], temps[k], cache, advance);
        }
      });
      for (std::size_t k = 0; k < items.size(); ++k) {
        if (!downloaded[k]) results[indexes[k]] = std::unexpected(downloaded[k].error());
      }
      for (std::size_t k : corrupt) results[indexes[k]] = set_aside(hashes[indexes[k]], temps[k]);
    }
    return results;
  }

  Result<std::vector<RemoteObject>> list() const override {
    auto listing = client_->list("");
    if (!listing) return std::unexpected(listing.error());
    std::vector<RemoteObject> objects;
    std::vector<Hash> hashes;
    for (const auto& object : *listing) {
      auto h = hash_of_key(object.key);
      if (!h) continue;  // documents, objects moved aside
      objects.push_back(RemoteObject{*h, object.size, object.mtime});
      hashes.push_back(*h);
    }
    // A full listing is the whole truth about the remote: what we remembered is replaced.
    MLOPS_TRY(known_->forget_all());
    MLOPS_TRY(known_->add(hashes));
    return objects;
  }

  Result<void> remove(const Hash& hash) const override {
    MLOPS_TRY(known_->forget({hash}));
    return client_->remove({object_key(hash)});
  }

  Result<DocumentPut> put_document(std::string_view key, const fs::path& file) const override {
    MLOPS_TRY(check_document_key(key));
    auto content = read_file(file);
    if (!content) return std::unexpected(content.error());
    // Ask first: a key that is there is compared, never written again (this also protects it on a
    // server that ignores conditional writes). Then create it with If-None-Match: *, so that of
    // two writers that both found it absent exactly one wins and the other compares. A server
    // without conditional writes (501 / NotImplemented) gets a plain PUT from then on: two writers
    // in the same instant may then both write, the last one's bytes staying (docs/remotes.md).
    for (int attempt = 0;; ++attempt) {
      auto existing = client_->get_bytes(key);
      if (!existing) return std::unexpected(existing.error());
      if (*existing) return **existing == *content ? DocumentPut::already_there : DocumentPut::differs;
      if (!conditional_writes_) break;
      auto put = client_->put_bytes_if_absent(key, *content);
      if (!put) return std::unexpected(put.error());
      if (*put == s3::Client::Conditional::written) return DocumentPut::written;
      if (*put == s3::Client::Conditional::unsupported) {
        conditional_writes_ = false;
        break;
      }
      // exists: another writer won; read what it wrote (deleted again in between: try once more).
      if (attempt == 2) {
        return std::unexpected(environment_error(
            fmt::format("cannot write '{}' on remote '{}': it is refused as existing, yet cannot be read", key, url_),
            "check the bucket's permissions (s3:GetObject) and run the command again"));
      }
    }
    MLOPS_TRY(client_->put_bytes(key, *content));
    return DocumentPut::written;
  }

  Result<bool> get_document(std::string_view key, const fs::path& dest) const override {
    MLOPS_TRY(check_document_key(key));
    auto content = client_->get_bytes(key);
    if (!content) return std::unexpected(content.error());
    if (!*content) return false;
    MLOPS_TRY(write_file_atomic(dest, **content));
    return true;
  }

  Result<std::vector<RemoteDocument>> list_documents(std::string_view prefix) const override {
    auto listing = client_->list(prefix);
    if (!listing) return std::unexpected(listing.error());
    std::vector<RemoteDocument> documents;
    for (const auto& object : *listing) {
      if (!object.key.starts_with(prefix) || !check_document_key(object.key)) continue;
      documents.push_back(RemoteDocument{object.key, object.size, object.mtime});
    }
    std::sort(documents.begin(), documents.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return documents;
  }

 private:
  // Uploads one batch; what went up is remembered even when a later object fails. Every file is
  // hashed (by the client, beside the transfer of a big one): a corrupt cache object is never
  // uploaded under a name it does not have.
  Result<void> upload_batch(const std::vector<Hash>& hashes, const std::vector<fs::path>& files,
                            std::vector<std::uint64_t>* sizes = nullptr) const {
    std::vector<s3::Client::Upload> items;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      items.push_back({object_key(hashes[i]), files[i], [file = files[i], hash = hashes[i]]() -> Result<void> {
                         auto actual = hash_file(file);
                         if (!actual) return std::unexpected(actual.error());
                         if (*actual != hash) return std::unexpected(corrupt_object_error(hash));
                         return {};
                       }});
    }
    auto results = client_->upload(items);
    std::vector<Hash> sent;
    const Error* first = nullptr;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i]) {
        sent.push_back(hashes[i]);
        std::error_code ec;
        if (sizes) sizes->push_back(fs::file_size(files[i], ec));
      } else if (!first) {
        first = &results[i].error();
      }
    }
    MLOPS_TRY(known_->add(sent));
    if (first) return std::unexpected(*first);
    return {};
  }

  // The hash of what was downloaded into `temp`, read back through its descriptor.
  static Result<Hash> hash_written(AtomicFile& temp) {
    if (::lseek(temp.fd(), 0, SEEK_SET) != 0) return std::unexpected(system_error("read", temp.temp_path(), errno));
    return hash_fd(temp.fd(), temp.temp_path());
  }

  Result<void> publish(const Hash& hash, AtomicFile& temp, const Cache& cache, const Advance& advance) const {
    struct stat st {};
    std::uint64_t size = ::fstat(temp.fd(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    MLOPS_TRY(cache.publish(temp, hash));
    advance(size);
    return {};
  }

  // The remote's copy of `hash` does not hash to its name: it is moved aside (to `.corrupt/`,
  // which is neither an object folder nor a document) so that the next push of a good copy
  // replaces it, and the object counts as not pulled.
  Result<void> set_aside(const Hash& hash, AtomicFile& temp) const {
    (void)known_->forget({hash});
    std::string aside = fmt::format(".corrupt/{}.{}", hash.hex(), ::time(nullptr));
    auto copied = client_->upload({{aside, temp.temp_path(), {}}});
    if (!copied.front()) return std::unexpected(corrupt_remote_object(hash, url_, {}, copied.front().error().message));
    if (auto removed = client_->remove({object_key(hash)}); !removed) {
      return std::unexpected(corrupt_remote_object(hash, url_, {}, removed.error().message));
    }
    return std::unexpected(corrupt_remote_object(hash, url_, aside));
  }

  std::string url_;
  std::unique_ptr<s3::Client> client_;
  std::unique_ptr<KnownObjects> known_;
  Verify verify_;
  mutable bool conditional_writes_ = true;  // until the server says it has none (501)
  mutable bool bucket_seen_ = false;        // a request found the bucket there
};

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The remote's settings as the client takes them; each value checked again (config files are
// edited by hand), and a bad one named with the file or variable it came from.
Result<s3::Settings> client_settings(const RemoteConfig& config, const std::map<std::string, Setting>& settings) {
  auto location = parse_s3_url(config.url);
  if (!location) return std::unexpected(bad_url_error(config, location.error()));
  s3::Settings s;
  s.bucket = location->bucket;
  s.prefix = location->prefix;
  s.remote_name = config.name;
  for (const auto& [key, setting] : settings) {
    if (key == "access_key_id" || key == "secret_access_key" || key == "session_token") {
      // Secrets: never checked or echoed, only passed on.
      (key == "access_key_id"       ? s.access_key_id
       : key == "secret_access_key" ? s.secret_access_key
                                    : s.session_token) = setting.value;
      if (key == "access_key_id") s.credentials_source = fmt::format("remote '{}' ({})", config.name, setting.source);
      continue;
    }
    if (auto bad = check_remote_setting(config, key, setting, RemoteKind::s3)) return std::unexpected(*bad);
    auto checked = check_remote_value(key, setting.value);  // made absolute (a CA path), as stored
    const std::string& v = *checked;
    if (key == "endpoint_url") s.endpoint_url = v;
    if (key == "region") s.region = v;
    if (key == "profile") s.profile = v;
    if (key == "addressing") {
      s.addressing = v == "path"      ? s3::Addressing::path
                     : v == "virtual" ? s3::Addressing::virtual_host
                                      : s3::Addressing::automatic;
    }
    if (key == "ssl_verify") s.ssl_verify = v;
    if (key == "jobs") s.jobs = *parse_number<unsigned>(v);
    if (key == "multipart_threshold") s.multipart_threshold = *parse_size(v);
    if (key == "multipart_chunksize") s.multipart_chunksize = *parse_size(v);
    if (key == "max_retries") s.max_retries = *parse_number<int>(v);
    if (key == "connect_timeout") s.connect_timeout = std::strtod(v.c_str(), nullptr);
    if (key == "sse") s.sse = v;
    if (key == "sse_kms_key_id") s.sse_kms_key_id = v;
    if (key == "acl") s.acl = v;
  }
  return s;
}

// Where the remote is, for the table of known objects: the same bucket behind another endpoint
// is another remote.
std::string known_location(const RemoteConfig& config, const s3::Settings& s) {
  std::string endpoint = s.endpoint_url;
  for (const char* var : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    const char* value = std::getenv(var);
    if (endpoint.empty() && value && *value) endpoint = value;
  }
  return fmt::format("{} {}", config.url, endpoint.empty() ? "aws" : endpoint);
}

}  // namespace

Result<std::unique_ptr<Remote>> open_s3_remote(const Repo& repo, const RemoteConfig& config,
                                               const std::map<std::string, Setting>& settings, Verify verify) {
  auto s = client_settings(config, settings);
  if (!s) return std::unexpected(s.error());
  auto client = s3::Client::open(*s);
  if (!client) return std::unexpected(client.error());
  auto known = KnownObjects::open(repo.store() / "remotes.db", known_location(config, *s));
  if (!known) return std::unexpected(known.error());
  return std::unique_ptr<Remote>(new S3Remote(config.url, std::move(*client), std::move(*known), verify));
}

}  // namespace mlops::data
