// Reference values: tests/unit/llm/reference/metrics_reference.py computes every number below
// without mlops's code (NLTK for BLEU, python-Levenshtein, scikit-learn's ndcg_score, and
// transcriptions of rouge_score's and SQuAD v1.1's definitions); its docstring says which is which.
#include "mlops/llm/metrics.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using mlops::llm::bleu;
using mlops::llm::exact_match;
using mlops::llm::levenshtein;
using mlops::llm::quantile;
using mlops::llm::retrieval_scores;
using mlops::llm::rouge_1;
using mlops::llm::rouge_l;
using mlops::llm::squad_tokens;
using mlops::llm::token_f1;
using mlops::llm::word_tokens;

namespace {

struct TextReference {
  std::string output, expected;
  double exact, f1, r1, rl, bleu;
};

// Rows of metrics_reference.py's TEXT_PAIRS: exact_match, token_f1, rouge_1, rouge_l, bleu.
const std::vector<TextReference> kTextReferences{
    {"the cat sat on the mat", "the cat is on the mat", 0, 0.75, 0.833333333333, 0.833333333333, 0.485491771707},
    {"Refunds take 5 business days.", "A refund takes five business days to arrive.", 0, 0.333333333333, 0.307692307692,
     0.307692307692, 0.186491050362},
    {"You can reset your password from the login page.", "Reset your password on the login page.", 0, 0.714285714286,
     0.75, 0.75, 0.375311926875},
    {"The Eiffel Tower is in Paris, France", "Paris", 0, 0.285714285714, 0.25, 0.25, 0.161499308196},
    {"", "something", 0, 0, 0, 0, 0},
    {"identical text here", "identical text here", 1, 1, 1, 1, 0.840896415254},
    {"a b c d e f g", "g f e d c b a", 0, 1, 1, 0.142857142857, 0.262690989442},
    {"Order #1234 shipped; tracking: AB-99.", "order 1234 has shipped, tracking AB 99", 0, 0.666666666667,
     0.923076923077, 0.923076923077, 0.598552967821},
    {"short", "a much longer reference sentence than the output", 0, 0, 0, 0, 0},
};

}  // namespace

TEST_CASE("llm metrics: text metrics match the reference implementations") {
  for (const auto& ref : kTextReferences) {
    INFO(ref.output << " | " << ref.expected);
    CHECK(exact_match(ref.output, ref.expected) == Approx(ref.exact).margin(1e-11));
    CHECK(token_f1(ref.output, ref.expected) == Approx(ref.f1).margin(1e-11));
    CHECK(rouge_1(ref.output, ref.expected) == Approx(ref.r1).margin(1e-11));
    CHECK(rouge_l(ref.output, ref.expected) == Approx(ref.rl).margin(1e-11));
    CHECK(bleu(ref.output, ref.expected) == Approx(ref.bleu).margin(1e-11));
  }
}

TEST_CASE("llm metrics: tokenizers are the documented ones") {
  CHECK(word_tokens("Hello, WORLD! it's 2x-fast") ==
        std::vector<std::string>{"hello", "world", "it", "s", "2x", "fast"});
  // Non-ASCII bytes stay inside words (rouge_score would drop them).
  CHECK(word_tokens("Crème brûlée") == std::vector<std::string>{"crème", "brûlée"});
  CHECK(squad_tokens("The answer: don't PANIC, an apple!") ==
        std::vector<std::string>{"answer", "dont", "panic", "apple"});
  CHECK(squad_tokens("  ").empty());
  CHECK(token_f1("", "") == 1.0);  // both empty: SQuAD v2's rule
  CHECK(exact_match("The Paris.", "paris") == 1.0);
}

TEST_CASE("llm metrics: Levenshtein distance on code points matches python-Levenshtein") {
  CHECK(levenshtein("kitten", "sitting") == 3);
  CHECK(levenshtein("flaw", "lawn") == 2);
  CHECK(levenshtein("", "abc") == 3);
  CHECK(levenshtein("café", "cafe") == 1);
  CHECK(levenshtein("naïve ünïcode", "naive unicode") == 3);
  CHECK(levenshtein("same", "same") == 0);
  CHECK(levenshtein("Saturday", "Sunday") == 3);
  // An invalid byte is one code point, equal only to itself.
  CHECK(levenshtein("a\xff", "a\xfe") == 1);
  CHECK(levenshtein("a\xff", "a\xff") == 0);
}

TEST_CASE("llm metrics: retrieval metrics match scikit-learn and the textbook definitions") {
  struct Row {
    std::vector<std::string> retrieved, relevant;
    std::size_t k;
    double hit, mrr, precision, recall, ndcg;
  };
  const std::vector<Row> rows{
      {{"d1", "d2", "d3"}, {"d2"}, 3, 1, 0.5, 0.333333333333, 1, 0.630929753571},
      {{"d1", "d2", "d3", "d4"}, {"d4", "d1"}, 3, 1, 1, 0.333333333333, 0.5, 0.613147192765},
      {{"d5", "d6"}, {"d1", "d2"}, 5, 0, 0, 0, 0, 0},
      {{"d1", "d1", "d2"}, {"d2", "d3"}, 0, 1, 0.5, 0.5, 0.5, 0.386852807235},
      {{"a", "b", "c", "d", "e"}, {"b", "d", "e"}, 5, 1, 0.5, 0.6, 1, 0.679731050004},
      {{"x"}, {"x"}, 1, 1, 1, 1, 1, 1},
      {{"a", "b", "c", "d"}, {"c", "d", "z"}, 2, 0, 0, 0, 0, 0},
  };
  for (const auto& row : rows) {
    auto s = retrieval_scores(row.retrieved, row.relevant, row.k);
    CHECK(s.hit_rate == Approx(row.hit).margin(1e-11));
    CHECK(s.mrr == Approx(row.mrr).margin(1e-11));
    CHECK(s.precision == Approx(row.precision).margin(1e-11));
    CHECK(s.recall == Approx(row.recall).margin(1e-11));
    CHECK(s.ndcg == Approx(row.ndcg).margin(1e-11));
  }
  auto none = retrieval_scores({"a"}, {}, 3);
  CHECK(none.hit_rate == 0);
  CHECK(none.ndcg == 0);
}

TEST_CASE("llm metrics: quantiles interpolate as NumPy's default") {
  // numpy.quantile([1, 2, 3, 4, 10], [0.5, 0.95]) -> [3.0, 8.8]; numpy.quantile([5], 0.95) -> 5.0
  std::vector<double> values{10, 1, 3, 2, 4};
  CHECK(quantile(values, 0.5) == Approx(3.0));
  CHECK(quantile(values, 0.95) == Approx(8.8));
  std::vector<double> one{5};
  CHECK(quantile(one, 0.95) == 5.0);
  std::vector<double> empty;
  CHECK(quantile(empty, 0.5) == 0.0);
}
