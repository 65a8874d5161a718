#pragma once
// The statistical tests of `mlops drift check`. Each function computes what the named SciPy
// function computes (SciPy 1.10; docs/drift.md lists the correspondence), from sorted samples
// or from counts. No function allocates more than a small fixed workspace unless stated.
#include <cstdint>
#include <span>
#include <vector>

namespace mlops::drift {

struct TestResult {
  double statistic = 0;
  double p_value = 1;  // NaN for distances, which have no p-value
};

// scipy.stats.ks_2samp(a, b) (two-sided, method='auto'): exact when max(n1, n2) <= 10000 (and
// the exact computation succeeds), else kstwo.sf(d, round(n1*n2/(n1+n2))). In the exact case the
// statistic is rounded to the lattice h/lcm(n1, n2), as SciPy returns it. Inputs sorted, non-empty.
struct KsResult {
  double statistic = 0;
  double p_value = 1;
  bool exact = false;
};
KsResult ks_2samp(std::span<const double> a_sorted, std::span<const double> b_sorted);

// scipy.stats.kstwo.sf(x, n): the survival function of the two-sided one-sample Kolmogorov
// statistic D_n (Simard & L'Ecuyer's selection among Marsaglia-Tsang-Wang, Pomeranz, Pelz-Good
// and the exact Smirnov sum).
double kolmogorov_sf(double x, std::int64_t n);
// scipy.special.smirnov(n, x): Pr(D+_n >= x), by the Birnbaum-Tingey sum.
double smirnov_sf(std::int64_t n, double x);
// Pr(D_{n,n} >= h/n) for two samples of n (lattice paths outside the square band).
double ks_prob_outside_square(std::int64_t n, std::int64_t h);
// Pr(D_{m,n} >= h/lcm(m,n)) by Hodges' inside method in Viehmann's 1-p form; g = gcd(m, n).
// NaN when the recursion leaves [0, 1] (the caller then uses the asymptotic distribution).
double ks_prob_outside_lattice(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h);

// scipy.stats.wasserstein_distance(a, b) for sorted, non-empty samples. With `distinct`, also
// counts the distinct values of both together (from the same merge).
double wasserstein_distance(std::span<const double> a_sorted, std::span<const double> b_sorted,
                            std::uint64_t* distinct = nullptr);
// numpy.std(values) (population standard deviation, ddof=0).
double population_std(std::span<const double> values);

// scipy.stats.chisquare(observed, expected): goodness of fit with len-1 degrees of freedom.
// An expected count of 0 with an observed count above 0 gives an infinite statistic, p 0.
TestResult chi_square_gof(std::span<const double> observed, std::span<const double> expected);

// The two-proportion Z-test (pooled variance), two-sided: z = (p1 - p2) / sqrt(P(1-P)(1/n1+1/n2)),
// p = 2 * norm.sf(|z|). Equal constant samples (P = 0 or 1) give z 0, p 1.
TestResult two_proportion_z(std::uint64_t hits1, std::uint64_t n1, std::uint64_t hits2, std::uint64_t n2);

// Population Stability Index: sum (r - c) * ln(r / c) over shares, each share of 0 replaced by
// `epsilon` first.
double psi(std::span<const double> ref_share, std::span<const double> cur_share, double epsilon);
// scipy.spatial.distance.jensenshannon(p, q) (natural log): p and q are normalised to sum 1.
double jensen_shannon(std::span<const double> p, std::span<const double> q);

// The default empty-bin share for PSI (documented in docs/drift.md).
inline constexpr double kPsiEpsilon = 1e-4;

}  // namespace mlops::drift
