// S3 responses, read the way the client reads them: a listing's entries and their fields, an
// error's code, an upload id. A server (or anything answering on its address) chooses these bytes.
#include "fuzz.hpp"
#include "mlops/s3/xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto document = mlops::fuzz::text(data, size);
  for (std::string_view entry : mlops::s3::xml_elements(document, "Contents")) {
    for (const char* field : {"Key", "Size", "LastModified", "ETag"}) (void)mlops::s3::xml_text(entry, field);
  }
  for (const char* field : {"Code", "Message", "UploadId", "NextContinuationToken", "IsTruncated"}) {
    (void)mlops::s3::xml_text(document, field);
  }
  (void)mlops::s3::xml_escape(mlops::s3::xml_decode(document));
  return 0;
}
