#pragma once
// Deterministic text and retrieval metrics for `mlops eval`, each with one pinned definition
// (docs/eval.md, "Metrics"). Every function is pure, thread-safe and total: empty inputs have a
// defined value, never NaN.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::llm {

// The word tokenizer of ROUGE and BLEU (rouge_score's default, extended to non-ASCII text):
// ASCII letters are lower-cased; a token is a maximal run of ASCII letters and digits and of
// bytes >= 0x80 (so UTF-8 letters stay inside words); every other byte separates tokens.
std::vector<std::string> word_tokens(std::string_view text);

// SQuAD v1.1's answer normalisation: lower-case (ASCII), drop ASCII punctuation, drop the
// words "a", "an" and "the", collapse whitespace; returns the whitespace-separated tokens.
std::vector<std::string> squad_tokens(std::string_view text);

// 1 when the SQuAD-normalised texts are equal, else 0.
double exact_match(std::string_view output, std::string_view expected);
// SQuAD's token F1 over the normalised tokens as multisets; 1 when both are empty, 0 when one is.
double token_f1(std::string_view output, std::string_view expected);

// ROUGE-1 and ROUGE-L F-measures (Lin 2004, rouge_score's F1 without stemming) over
// word_tokens; 0 when either side has no tokens.
double rouge_1(std::string_view output, std::string_view expected);
double rouge_l(std::string_view output, std::string_view expected);

// Sentence BLEU-4 (Papineni et al. 2002) over word_tokens against one reference: clipped n-gram
// precisions for n = 1..4 with uniform weights; for n >= 2 both counts get +1 (Lin and Och
// 2004's smoothing, NLTK's SmoothingFunction().method2), an order the output is too short for
// counting as 0 of 1 (as NLTK); the brevity penalty exp(1 - r/c) when the output is shorter.
// 0 when the output is empty or no unigram matches.
double bleu(std::string_view output, std::string_view expected);

// The edit distance (insertions, deletions, substitutions of one each) between the texts as
// Unicode code points (invalid UTF-8 bytes count as one code point each).
std::size_t levenshtein(std::string_view a, std::string_view b);

// Retrieval metrics at k over document ids: `retrieved` in rank order (a repeated id counts
// at its first rank only), `relevant` the ids that should be found (binary relevance). k = 0
// means k = the number of distinct retrieved ids. With no relevant ids every metric is 0.
struct RetrievalScores {
  double hit_rate = 0;   // 1 when some relevant id is in the top k
  double mrr = 0;        // 1 / rank of the first relevant id in the top k
  double precision = 0;  // relevant ids in the top k / k
  double recall = 0;     // relevant ids in the top k / relevant ids
  double ndcg = 0;       // sum of 1/log2(rank+1) over relevant ids in the top k, over the ideal sum
};
RetrievalScores retrieval_scores(const std::vector<std::string>& retrieved, const std::vector<std::string>& relevant,
                                 std::size_t k);

// The q-quantile (0..1) of `values` by linear interpolation between closest ranks (NumPy's
// default, "linear"); 0 for no values. `values` is sorted in place.
double quantile(std::vector<double>& values, double q);

}  // namespace mlops::llm
