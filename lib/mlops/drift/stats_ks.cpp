// Two-sample Kolmogorov-Smirnov test and the distributions behind its p-values, written from the
// published algorithms and following the branch rules of scipy.stats.ks_2samp / kstwo (SciPy
// 1.10) so that p-values agree with SciPy to rounding:
//  - exact two-sample: Hodges (1958), lattice paths, with Viehmann's (2021) recursion for 1-p;
//  - one-sample Kolmogorov D_n: Simard & L'Ecuyer (2011) choose among Marsaglia-Tsang-Wang's
//    matrix power (Durbin), Pomeranz's recursion, Pelz-Good's expansion and the Smirnov sum.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

namespace {

constexpr int kE128 = 128;
const double kEP128 = std::ldexp(1.0, kE128);
const double kEM128 = std::ldexp(1.0, -kE128);
constexpr double kPi2 = std::numbers::pi * std::numbers::pi;
constexpr double kPi4 = kPi2 * kPi2;
constexpr double kPi6 = kPi4 * kPi2;
const double kSqrt2Pi = std::sqrt(2 * std::numbers::pi);
const double kLog2Pi = std::log(2 * std::numbers::pi);
constexpr double kMinLog = -708;

double clip01(double p) { return std::clamp(p, 0.0, 1.0); }
double select(double cdf_p, double sf_p, bool cdf) { return clip01(cdf ? cdf_p : sf_p); }

// log(n! / n^n) by Stirling's series with n log n removed up front.
double log_nfactorial_div_n_pow_n(double n) {
  static constexpr double kCoeffs[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3, -1.9175269175269175269e-3,
                                       8.4175084175084175084e-4,  -5.952380952380952381e-4, 7.9365079365079365079e-4,
                                       -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  double rn = 1.0 / n;
  double x = rn / n;
  double poly = 0;
  for (double c : kCoeffs) poly = poly * x + c;
  return std::log(n) / 2 - n + kLog2Pi / 2 + rn * poly;
}

using Matrix = std::vector<double>;  // row-major m x m

Matrix matmul(const Matrix& a, const Matrix& b, int m) {
  Matrix c(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      double aik = a[i * m + k];
      if (aik == 0) continue;
      for (int j = 0; j < m; ++j) c[i * m + j] += aik * b[k * m + j];
    }
  }
  return c;
}

// Pr(D_n <= d) by the Durbin matrix, as Marsaglia, Tsang and Wang (2003) evaluate it.
double kolmogn_dmtw(std::int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  int k = static_cast<int>(std::ceil(nd));
  double h = k - nd;
  int m = 2 * k - 1;
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    v[j - 1] = 1.0 - std::pow(h, j);
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) hm[r * m + i] = w[r - (i - 1)];
  }
  for (int r = 0; r < m; ++r) hm[r * m] = v[r];
  for (int c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];

  Matrix power(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) power[i * m + i] = 1.0;
  long expnt = 0, h_expnt = 0;
  for (std::int64_t nn = n; nn > 0; nn /= 2) {
    if (nn % 2) {
      power = matmul(power, hm, m);
      expnt += h_expnt;
    }
    hm = matmul(hm, hm, m);
    h_expnt *= 2;
    if (std::abs(hm[(k - 1) * m + (k - 1)]) > kEP128) {
      for (double& x : hm) x /= kEP128;
      h_expnt += kE128;
    }
  }
  long double p = power[(k - 1) * m + (k - 1)];
  for (std::int64_t i = 1; i <= n; ++i) {
    p = static_cast<long double>(i) * p / static_cast<long double>(n);
    if (std::abs(p) < kEM128) {
      p *= kEP128;
      expnt -= kE128;
    }
  }
  if (expnt != 0) p = std::ldexp(p, static_cast<int>(expnt));
  return clip01(static_cast<double>(p));
}

void pomeranz_j1j2(std::int64_t i, std::int64_t n, std::int64_t ll, int ceilf, int roundf, std::int64_t& j1,
                   std::int64_t& j2) {
  std::int64_t a, b;
  if (i == 0) {
    a = -ll - ceilf - 1;
    b = ll + ceilf - 1;
  } else {
    std::int64_t half = (i + 1) / 2, odd = (i + 1) % 2;
    if (odd == 0) {
      if (half == n + 1) {
        a = n - ll - ceilf - 1;
        b = n + ll + ceilf - 1;
      } else {
        a = half - 1 - ll - roundf - 1;
        b = half + ll - 1 + ceilf - 1;
      }
    } else {
      a = half - 1 - ll - 1;
      b = half + ll + roundf - 1;
    }
  }
  j1 = std::max<std::int64_t>(a + 2, 0);
  j2 = std::min(b, n);
}

// Pr(D_n <= x) by Pomeranz's (1974) recursion.
double kolmogn_pomeranz(std::int64_t n, double x) {
  double t = static_cast<double>(n) * x;
  auto ll = static_cast<std::int64_t>(std::floor(t));
  double f = t - static_cast<double>(ll);
  double g = std::min(f, 1.0 - f);
  int ceilf = f > 0 ? 1 : 0;
  int roundf = f > 0.5 ? 1 : 0;
  auto npwrs = static_cast<std::size_t>(2 * (ll + 1));
  std::vector<double> gpower(npwrs), twogpower(npwrs), onem2gpower(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  double dn = static_cast<double>(n);
  double g_n = g / dn, two_g_n = 2 * g / dn, one_m2g_n = (1 - 2 * g) / dn;
  for (std::size_t m = 1; m < npwrs; ++m) {
    gpower[m] = gpower[m - 1] * g_n / static_cast<double>(m);
    twogpower[m] = twogpower[m - 1] * two_g_n / static_cast<double>(m);
    onem2gpower[m] = onem2gpower[m - 1] * one_m2g_n / static_cast<double>(m);
  }
  std::vector<double> v0(npwrs, 0.0), v1(npwrs, 0.0), conv;
  v1[0] = 1;
  std::int64_t v0s = 0, v1s = 0, j1, j2;
  long expnt = 0;
  pomeranz_j1j2(0, n, ll, ceilf, roundf, j1, j2);
  auto size = static_cast<std::int64_t>(npwrs);
  for (std::int64_t i = 1; i < 2 * n + 2; ++i) {
    std::int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    pomeranz_j1j2(i, n, ll, ceilf, roundf, j1, j2);
    const std::vector<double>& pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    std::int64_t ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // The convolution of V0[k1-V0s, +ln2) with pwrs[0, ln2), both cut at the row length.
    std::int64_t a0 = k1 - v0s;
    std::int64_t alen = std::clamp<std::int64_t>(std::min(a0 + ln2, size) - a0, 0, size);
    std::int64_t blen = std::min(ln2, size);
    if (alen == 0 || blen == 0) continue;
    conv.assign(static_cast<std::size_t>(alen + blen - 1), 0.0);
    for (std::int64_t p = 0; p < alen; ++p) {
      double a = v0[static_cast<std::size_t>(a0 + p)];
      if (a == 0) continue;
      for (std::int64_t q = 0; q < blen; ++q)
        conv[static_cast<std::size_t>(p + q)] += a * pwrs[static_cast<std::size_t>(q)];
    }
    std::int64_t start = j1 - k1, len = j2 - j1 + 1;
    double top = 0;
    for (std::int64_t q = 0; q < len && q < size; ++q) {
      std::int64_t idx = start + q;
      v1[static_cast<std::size_t>(q)] =
          (idx >= 0 && idx < static_cast<std::int64_t>(conv.size())) ? conv[static_cast<std::size_t>(idx)] : 0.0;
      top = std::max(top, v1[static_cast<std::size_t>(q)]);
    }
    if (top > 0 && top < kEM128) {
      for (double& x : v1) x *= kEP128;
      expnt -= kE128;
    }
    v1s = v0s + j1 - k1;
  }
  double ans = v1[static_cast<std::size_t>(n - v1s)];
  for (std::int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > kEP128) {
      ans *= kEM128;
      expnt += kE128;
    }
    ans *= static_cast<double>(m);
  }
  if (expnt != 0) ans = std::ldexp(ans, static_cast<int>(expnt));
  return clip01(ans);
}

// Pr(D_n <= x) by the Pelz-Good (1976) asymptotic expansion.
double kolmogn_pelz_good(std::int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  double dn = static_cast<double>(n);
  double z = std::sqrt(dn) * x;
  double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  double qlog = -kPi2 / 8 / z2;
  if (qlog < kMinLog) return 0.0;
  double q = std::exp(qlog);
  double k1a = -z2, k1b = kPi2 / 4;
  double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * kPi2 / 4, k2c = kPi4 * (1 - 2 * z2) / 16;
  double k3d = kPi6 * (5 - 30 * z2) / 64;
  double k3c = kPi4 * (-60 * z2 + 212 * z4) / 16;
  double k3b = kPi2 * (135 * z4 - 96 * z6) / 4;
  double k3a = -30 * z6 - 90 * std::pow(z, 8);
  double kk[4] = {0, 0, 0, 0};
  auto maxk = static_cast<std::int64_t>(std::ceil(16 * z / std::numbers::pi));
  for (std::int64_t k = maxk; k > 0; --k) {
    double m = static_cast<double>(2 * k - 1);
    double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    double qpower = std::pow(q, static_cast<double>(8 * k));
    double coeffs[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) kk[i] = kk[i] * qpower + coeffs[i];
  }
  double div[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) kk[i] = kk[i] * q * kSqrt2Pi / div[i];
  double q2 = std::exp(-kPi2 / 2 / z2);
  double k2extra = 0, k3extra = 0;
  double sqrt3z = std::sqrt(3.0) * z;
  for (std::int64_t k = maxk; k > 0; --k) {
    double kd = static_cast<double>(k);
    double ksq = kd * kd;
    double qp = std::pow(q2, ksq);
    double kspi = std::numbers::pi * kd;
    k2extra += ksq * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
  }
  kk[2] += k2extra * kPi2 * kSqrt2Pi / (-36 * z3);
  kk[3] += k3extra * kPi2 * kSqrt2Pi / (216 * z6);
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += kk[i] / std::pow(dn, i / 2.0);
  return sum;
}

std::int64_t gcd64(std::int64_t a, std::int64_t b) { return std::gcd(a, b); }

}  // namespace

double smirnov_sf(std::int64_t n, double x) {
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return std::nan("");
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  // Birnbaum-Tingey: x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v), summed in
  // long double with log-binomials carried by recurrence.
  using ld = long double;
  const ld dn = static_cast<ld>(n);
  const ld lx = x;
  auto last = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - x)));
  ld log_binom = 0;  // log C(n, 0)
  ld sum = 0;
  for (std::int64_t v = 0; v <= last; ++v) {
    ld dv = static_cast<ld>(v);
    ld evn = lx + dv / dn;
    ld omevn = 1.0L - evn;
    if (omevn > 0 || v == n) {
      ld log_term = log_binom + (dv - 1) * std::log(evn) + (v == n ? 0.0L : (dn - dv) * std::log(omevn));
      if (log_term > -11000.0L) sum += std::exp(log_term);
    }
    log_binom += std::log((dn - dv) / (dv + 1));
  }
  return static_cast<double>(std::clamp<ld>(sum * lx, 0.0L, 1.0L));
}

double kolmogorov_sf(double x, std::int64_t n) {
  if (n <= 0 || std::isnan(x)) return std::nan("");
  const bool cdf = false;
  double dn = static_cast<double>(n);
  if (x >= 1.0) return select(1.0, 0.0, cdf);
  if (x <= 0.0) return select(0.0, 1.0, cdf);
  double t = dn * x;
  if (t <= 1.0) {  // Ruben-Gambino: 1/2n <= x <= 1/n
    if (t <= 0.5) return select(0.0, 1.0, cdf);
    double prob;
    if (n <= 140) {
      prob = 1.0;
      for (std::int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      prob = std::exp(log_nfactorial_div_n_pow_n(dn) + dn * std::log(2 * t - 1));
    }
    return select(prob, 1.0 - prob, cdf);
  }
  if (t >= dn - 1) {  // Ruben-Gambino
    double prob = 2 * std::pow(1.0 - x, dn);
    return select(1 - prob, prob, cdf);
  }
  if (x >= 0.5) {
    double prob = 2 * smirnov_sf(n, x);
    return select(1.0 - prob, prob, cdf);
  }
  double nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) {
      double prob = kolmogn_dmtw(n, x);
      return select(prob, 1.0 - prob, cdf);
    }
    if (nxsquared <= 4) {
      double prob = kolmogn_pomeranz(n, x);
      return select(prob, 1.0 - prob, cdf);
    }
    double prob = 2 * smirnov_sf(n, x);
    return select(1.0 - prob, prob, cdf);
  }
  // The survival function has its own cut-offs (the CDF's would lose it to cancellation).
  if (nxsquared >= 370.0) return 0.0;
  if (nxsquared >= 2.2) return clip01(2 * smirnov_sf(n, x));
  double cdfprob;
  if (nxsquared >= 18.0) {
    cdfprob = 1.0;
  } else if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    cdfprob = kolmogn_dmtw(n, x);
  } else {
    cdfprob = kolmogn_pelz_good(n, x);
  }
  return select(cdfprob, 1.0 - cdfprob, cdf);
}

double ks_prob_outside_square(std::int64_t n, std::int64_t h) {
  // P = 2 * A0 * (1 - A1 * (1 - A2 * (...))), each A_k a ratio of binomials, Horner-style.
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (std::int64_t j = 0; j < h; ++j) {
      p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

double ks_prob_outside_lattice(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  if (m < n) std::swap(m, n);
  std::int64_t mg = m / g, ng = n / g;
  // One column of the path-count matrix, scaled to probabilities, in a sliding window [minj, maxj).
  std::int64_t minj = 0;
  std::int64_t maxj = std::min<std::int64_t>(
      static_cast<std::int64_t>(std::ceil(static_cast<double>(h) / static_cast<double>(mg))), n + 1);
  std::int64_t curlen = maxj - minj;
  std::vector<double> a(static_cast<std::size_t>(2 * n + 4), 1.0);
  std::fill(a.begin(), a.begin() + maxj, 0.0);
  for (std::int64_t i = 1; i <= m; ++i) {
    std::int64_t lastminj = minj, lastlen = curlen;
    minj = std::max<std::int64_t>(
        static_cast<std::int64_t>(std::floor(static_cast<double>(ng * i - h) / static_cast<double>(mg))) + 1, 0);
    minj = std::min(minj, n);
    maxj = std::min<std::int64_t>(
        static_cast<std::int64_t>(std::ceil(static_cast<double>(ng * i + h) / static_cast<double>(mg))), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    double di = static_cast<double>(i);
    for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
      double j = static_cast<double>(jj + minj);
      val = (a[static_cast<std::size_t>(jj + minj - lastminj)] * di + val * j) / (di + j);
      a[static_cast<std::size_t>(jj)] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      std::fill(a.begin() + curlen,
                a.begin() + std::min<std::int64_t>(curlen + (lastlen - curlen), static_cast<std::int64_t>(a.size())),
                1.0);
    }
  }
  double p = a[static_cast<std::size_t>(maxj - minj - 1)];
  if (!(p >= 0.0 && p <= 1.0)) return std::nan("");
  return p;
}

KsResult ks_2samp(std::span<const double> a, std::span<const double> b) {
  const auto n1 = static_cast<std::int64_t>(a.size()), n2 = static_cast<std::int64_t>(b.size());
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2);
  // The largest positive and negative gaps between the empirical CDFs, evaluated (as SciPy
  // does with searchsorted 'right') after every value, ties consumed together: taking one value
  // at a time, a gap counts only when the next value differs. Branch-free merge.
  double max_diff = -2, min_diff = 2;
  const std::size_t na = a.size(), nb = b.size();
  std::size_t i = 0, j = 0;
  auto next_value = [&]() {
    if (i < na && j < nb) return std::min(a[i], b[j]);
    return i < na ? a[i] : (j < nb ? b[j] : std::numeric_limits<double>::infinity());
  };
  while (i < na || j < nb) {
    const bool take_a = j >= nb || (i < na && a[i] <= b[j]);
    const double x = take_a ? a[i] : b[j];
    i += take_a;
    j += !take_a;
    if (next_value() != x) {
      const double diff = static_cast<double>(i) / d1 - static_cast<double>(j) / d2;
      max_diff = std::max(max_diff, diff);
      min_diff = std::min(min_diff, diff);
    }
  }
  double min_s = std::clamp(-min_diff, 0.0, 1.0);
  double d = min_s > max_diff ? min_s : max_diff;

  KsResult result;
  result.statistic = d;
  const std::int64_t g = gcd64(n1, n2);
  if (std::max(n1, n2) <= 10000) {
    std::int64_t lcm = (n1 / g) * n2;
    auto h = static_cast<std::int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
    double dr = static_cast<double>(h) / static_cast<double>(lcm);
    double p = h == 0 ? 1.0 : (n1 == n2 ? ks_prob_outside_square(n1, h) : ks_prob_outside_lattice(n1, n2, g, h));
    if (std::isfinite(p) && p >= 0.0 && p <= 1.0) {
      result.statistic = dr;
      result.p_value = p;
      result.exact = true;
      return result;
    }
    // SciPy falls back to the asymptotic distribution with the rounded statistic.
    d = dr;
    result.statistic = dr;
  }
  double m = std::max(d1, d2), n = std::min(d1, d2);
  double en = m * n / (m + n);
  result.p_value = clip01(kolmogorov_sf(d, static_cast<std::int64_t>(std::nearbyint(en))));
  return result;
}

}  // namespace mlops::drift
