#include "mlops/llm/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

namespace mlops::llm {

namespace {

bool is_word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }

unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c; }

// Python's string.punctuation: the ASCII printable characters that are neither letters, digits
// nor space.
bool is_ascii_punctuation(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// Python's str.split() whitespace, for the ASCII range.
bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

using Counts = std::map<std::vector<std::string>, std::size_t>;

Counts ngrams(const std::vector<std::string>& tokens, std::size_t n) {
  Counts counts;
  if (tokens.size() < n) return counts;
  for (std::size_t i = 0; i + n <= tokens.size(); ++i) {
    ++counts[std::vector<std::string>(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                      tokens.begin() + static_cast<std::ptrdiff_t>(i + n))];
  }
  return counts;
}

// Tokens both sides share, each as often as the side with fewer of it has it.
std::size_t overlap(const Counts& a, const Counts& b) {
  std::size_t common = 0;
  for (const auto& [gram, count] : a) {
    auto it = b.find(gram);
    if (it != b.end()) common += std::min(count, it->second);
  }
  return common;
}

double f_measure(std::size_t common, std::size_t predicted, std::size_t reference) {
  if (common == 0 || predicted == 0 || reference == 0) return 0;
  double precision = static_cast<double>(common) / static_cast<double>(predicted);
  double recall = static_cast<double>(common) / static_cast<double>(reference);
  return 2 * precision * recall / (precision + recall);
}

std::size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::size_t> row(b.size() + 1, 0);
  for (const auto& x : a) {
    std::size_t diagonal = 0;  // row[j-1] of the previous row
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = x == b[j - 1] ? diagonal + 1 : std::max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.size()];
}

// UTF-8 decoding for the edit distance; a byte that starts no valid sequence is one code point.
std::vector<std::uint32_t> code_points(std::string_view text) {
  std::vector<std::uint32_t> points;
  points.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t j = 1; valid && j < length; ++j) valid = (static_cast<unsigned char>(text[i + j]) >> 6) == 0x2;
    if (!valid) {
      points.push_back(0x110000u + c);  // outside Unicode: equal only to the same invalid byte
      ++i;
      continue;
    }
    std::uint32_t point = length == 1 ? c : c & (0x7fu >> length);
    for (std::size_t j = 1; j < length; ++j) point = (point << 6) | (static_cast<unsigned char>(text[i + j]) & 0x3fu);
    points.push_back(point);
    i += length;
  }
  return points;
}

}  // namespace

std::vector<std::string> word_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char raw : text) {
    unsigned char c = lower(static_cast<unsigned char>(raw));
    if (is_word_byte(c)) {
      current.push_back(static_cast<char>(c));
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::vector<std::string> squad_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && current != "a" && current != "an" && current != "the") tokens.push_back(current);
    current.clear();
  };
  for (char raw : text) {
    unsigned char c = lower(static_cast<unsigned char>(raw));
    if (is_ascii_punctuation(c)) continue;  // removed, so "don't" is one word: "dont"
    if (is_space(c)) {
      flush();
    } else {
      current.push_back(static_cast<char>(c));
    }
  }
  flush();
  return tokens;
}

double exact_match(std::string_view output, std::string_view expected) {
  return squad_tokens(output) == squad_tokens(expected) ? 1.0 : 0.0;
}

double token_f1(std::string_view output, std::string_view expected) {
  auto predicted = squad_tokens(output);
  auto reference = squad_tokens(expected);
  if (predicted.empty() && reference.empty()) return 1.0;
  return f_measure(overlap(ngrams(predicted, 1), ngrams(reference, 1)), predicted.size(), reference.size());
}

double rouge_1(std::string_view output, std::string_view expected) {
  auto predicted = word_tokens(output);
  auto reference = word_tokens(expected);
  return f_measure(overlap(ngrams(predicted, 1), ngrams(reference, 1)), predicted.size(), reference.size());
}

double rouge_l(std::string_view output, std::string_view expected) {
  auto predicted = word_tokens(output);
  auto reference = word_tokens(expected);
  return f_measure(lcs_length(predicted, reference), predicted.size(), reference.size());
}

double bleu(std::string_view output, std::string_view expected) {
  auto candidate = word_tokens(output);
  auto reference = word_tokens(expected);
  if (candidate.empty()) return 0;
  double log_sum = 0;
  for (std::size_t n = 1; n <= 4; ++n) {
    auto candidate_grams = ngrams(candidate, n);
    double matches = static_cast<double>(overlap(candidate_grams, ngrams(reference, n)));
    // An order the output is too short for counts as 0 matches of 1 n-gram, as in NLTK.
    double total = candidate.size() >= n ? static_cast<double>(candidate.size() - n + 1) : 1.0;
    if (n == 1 && matches == 0) return 0;
    if (n >= 2) {
      matches += 1;
      total += 1;
    }
    log_sum += std::log(matches / total) / 4.0;
  }
  double c = static_cast<double>(candidate.size());
  double r = static_cast<double>(reference.size());
  double brevity = c > r ? 1.0 : std::exp(1.0 - r / c);
  return brevity * std::exp(log_sum);
}

std::size_t levenshtein(std::string_view a_text, std::string_view b_text) {
  auto a = code_points(a_text);
  auto b = code_points(b_text);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

RetrievalScores retrieval_scores(const std::vector<std::string>& retrieved, const std::vector<std::string>& relevant,
                                 std::size_t k) {
  RetrievalScores scores;
  std::set<std::string> wanted(relevant.begin(), relevant.end());
  if (wanted.empty()) return scores;
  std::vector<std::string> ranked;
  std::set<std::string> seen;
  for (const auto& id : retrieved) {
    if (seen.insert(id).second) ranked.push_back(id);
  }
  std::size_t cutoff = k == 0 ? ranked.size() : k;
  std::size_t found = 0;
  double dcg = 0;
  for (std::size_t i = 0; i < ranked.size() && i < cutoff; ++i) {
    if (!wanted.contains(ranked[i])) continue;
    if (found == 0) scores.mrr = 1.0 / static_cast<double>(i + 1);
    ++found;
    dcg += 1.0 / std::log2(static_cast<double>(i + 2));
  }
  double ideal = 0;
  std::size_t ideal_count = std::min(cutoff, wanted.size());
  for (std::size_t i = 0; i < ideal_count; ++i) ideal += 1.0 / std::log2(static_cast<double>(i + 2));
  scores.hit_rate = found > 0 ? 1.0 : 0.0;
  scores.precision = cutoff == 0 ? 0.0 : static_cast<double>(found) / static_cast<double>(cutoff);
  scores.recall = static_cast<double>(found) / static_cast<double>(wanted.size());
  scores.ndcg = ideal > 0 ? dcg / ideal : 0.0;
  return scores;
}

double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double position = q * static_cast<double>(values.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(position));
  std::size_t above = std::min(below + 1, values.size() - 1);
  double fraction = position - static_cast<double>(below);
  return values[below] + (values[above] - values[below]) * fraction;
}

}  // namespace mlops::llm
