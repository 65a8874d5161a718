#pragma once
// Just enough XML for S3's responses (ListBucketResult, Error, InitiateMultipartUploadResult,
// CompleteMultipartUploadResult, DeleteResult) and request bodies (CompleteMultipartUpload,
// Delete). Those documents are flat lists of elements without attributes that matter, so elements
// are found by name; a full parser would be another dependency for nothing.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::s3 {

// The raw content of every `<tag>...</tag>` (or `<tag attr="...">...</tag>`) in `document`, in order.
// Elements of the same name must not nest (true of every S3 document mlops reads).
std::vector<std::string_view> xml_elements(std::string_view document, std::string_view tag);
// The decoded text of the first `<tag>` in `document`, nullopt when there is none.
std::optional<std::string> xml_text(std::string_view document, std::string_view tag);
// Decodes the five predefined entities and numeric character references.
std::string xml_decode(std::string_view text);
// Escapes text for an element's content.
std::string xml_escape(std::string_view text);

}  // namespace mlops::s3
