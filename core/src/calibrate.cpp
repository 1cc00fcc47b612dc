// SPDX-License-Identifier: MIT
#include "mlastudio/core/calibrate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace mlastudio::core {

namespace {

using Vec = std::array<double, 3>;  // ln η_c, ln η_b, φ with floor = floorUnit · (e^φ − 1)

constexpr double kHuge = 1e300;
constexpr double kLnMinDerate = -4.605170185988091;  // ln 0.01

// The search space: log derates keep the relative step size the same across two decades; the
// floor coordinate φ is 0 for no floor, about floor/floorUnit for a small one and logarithmic for
// a large one, so one step size suits floors from a fraction of the shortest kernel to the longest.
class Objective {
public:
    Objective(const std::vector<double> &measuredS, const KernelTimePredictor &predict, double floorUnitS,
              double maxFloorS, double priorWeight)
        : m_measured(measuredS), m_predict(predict), m_floorUnit(floorUnitS)
        , m_maxPhi(std::log1p(maxFloorS / floorUnitS)), m_priorWeight(priorWeight)
    {
    }

    double lower(std::size_t k) const { return k < 2 ? kLnMinDerate : 0.0; }
    double upper(std::size_t k) const { return k < 2 ? 0.0 : m_maxPhi; }

    Vec clamp(Vec v) const
    {
        for (std::size_t k = 0; k < 3; ++k)
            v[k] = std::clamp(v[k], lower(k), upper(k));
        return v;
    }

    KernelEfficiencies toEfficiencies(const Vec &v) const
    {
        const Vec c = clamp(v);
        return {std::clamp(std::exp(c[0]), kMinFittedDerate, kMaxFittedDerate),
                std::clamp(std::exp(c[1]), kMinFittedDerate, kMaxFittedDerate), m_floorUnit * std::expm1(c[2])};
    }

    Vec toVec(const KernelEfficiencies &e) const
    {
        return clamp({std::log(e.computeDerate), std::log(e.bandwidthDerate), std::log1p(e.latencyFloorS / m_floorUnit)});
    }

    /** The data term: Σ (ln predicted − ln measured)². */
    double data(const Vec &v)
    {
        ++m_evaluations;
        const double cost = logSquaredError(m_measured, m_predict, toEfficiencies(v));
        return std::isfinite(cost) ? cost : kHuge;
    }

    /** What is minimised: the data term plus the prior's pull towards the start values. */
    double operator()(const Vec &v)
    {
        const Vec c = clamp(v);
        double prior = 0.0;
        for (std::size_t k = 0; k < 3; ++k)
            prior += (c[k] - m_prior[k]) * (c[k] - m_prior[k]);
        return data(v) + m_priorWeight * prior;
    }

    void setPrior(const Vec &v) { m_prior = v; }

    int evaluations() const { return m_evaluations; }

private:
    const std::vector<double> &m_measured;
    const KernelTimePredictor &m_predict;
    double m_floorUnit;
    double m_maxPhi;
    double m_priorWeight;
    Vec m_prior{};
    int m_evaluations = 0;
};

// Nelder–Mead on the box (points are clamped into it). \return the best point; \p best its cost.
Vec nelderMead(Objective &f, const Vec &start, double &best)
{
    std::array<Vec, 4> x;
    std::array<double, 4> fx;
    x[0] = f.clamp(start);
    const Vec step = {0.25, 0.25, 0.5};
    for (std::size_t k = 0; k < 3; ++k) {
        x[k + 1] = x[0];
        // Step inwards from a bound.
        x[k + 1][k] += (x[0][k] + step[k] > f.upper(k)) ? -step[k] : step[k];
        x[k + 1] = f.clamp(x[k + 1]);
    }
    for (std::size_t i = 0; i < 4; ++i)
        fx[i] = f(x[i]);
    const auto combine = [&](const Vec &a, const Vec &b, double t) {  // a + t (b − a), clamped
        Vec r;
        for (std::size_t k = 0; k < 3; ++k)
            r[k] = a[k] + t * (b[k] - a[k]);
        return f.clamp(r);
    };
    for (int iter = 0; iter < 600; ++iter) {
        std::array<std::size_t, 4> order = {0, 1, 2, 3};
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
        std::array<Vec, 4> xs;
        std::array<double, 4> fs;
        for (std::size_t i = 0; i < 4; ++i) {
            xs[i] = x[order[i]];
            fs[i] = fx[order[i]];
        }
        x = xs;
        fx = fs;
        double size = 0.0;
        for (std::size_t i = 1; i < 4; ++i)
            for (std::size_t k = 0; k < 3; ++k)
                size = std::max(size, std::abs(x[i][k] - x[0][k]));
        if (fx[3] - fx[0] <= 1e-15 + 1e-12 * fx[0] && size < 1e-9)
            break;
        Vec centroid{};
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t k = 0; k < 3; ++k)
                centroid[k] += x[i][k] / 3.0;
        const Vec reflected = combine(centroid, x[3], -1.0);
        const double fr = f(reflected);
        if (fr < fx[0]) {
            const Vec expanded = combine(centroid, x[3], -2.0);
            const double fe = f(expanded);
            if (fe < fr) {
                x[3] = expanded;
                fx[3] = fe;
            } else {
                x[3] = reflected;
                fx[3] = fr;
            }
            continue;
        }
        if (fr < fx[2]) {
            x[3] = reflected;
            fx[3] = fr;
            continue;
        }
        const bool outside = fr < fx[3];
        const Vec contracted = combine(centroid, outside ? reflected : x[3], 0.5);
        const double fc = f(contracted);
        if (fc < (outside ? fr : fx[3])) {
            x[3] = contracted;
            fx[3] = fc;
            continue;
        }
        for (std::size_t i = 1; i < 4; ++i) {
            x[i] = combine(x[0], x[i], 0.5);
            fx[i] = f(x[i]);
        }
    }
    const std::size_t bestIndex = std::size_t(std::min_element(fx.begin(), fx.end()) - fx.begin());
    best = fx[bestIndex];
    return x[bestIndex];
}

} // namespace

double logSquaredError(const std::vector<double> &measuredS, const KernelTimePredictor &predict,
                       const KernelEfficiencies &efficiencies)
{
    double sum = 0.0;
    for (std::size_t i = 0; i < measuredS.size(); ++i) {
        const double p = predict(i, efficiencies);
        if (!(p > 0.0) || !std::isfinite(p))
            return std::numeric_limits<double>::infinity();
        const double r = std::log(p) - std::log(measuredS[i]);
        sum += r * r;
    }
    return sum;
}

EfficiencyFit fitKernelEfficiencies(const std::vector<double> &measuredS, const KernelTimePredictor &predict,
                                    const KernelEfficiencies &start, double priorWeight)
{
    EfficiencyFit fit;
    fit.start = start;
    fit.fitted = start;
    if (measuredS.empty())
        return fit;
    const auto [minIt, maxIt] = std::minmax_element(measuredS.begin(), measuredS.end());
    const double floorUnit = *minIt / 100.0;
    // No kernel is faster than the floor, so it lies below the shortest measured time.
    Objective f(measuredS, predict, floorUnit, std::max(*minIt, start.latencyFloorS), priorWeight);
    const Vec startVec = f.toVec(start);
    f.setPrior(startVec);
    fit.costStart = f.data(startVec);

    // Coarse grid: derates log-spaced over [0.01, 1], the floor from 0 to the shortest measured time.
    constexpr int kDerateSteps = 12;
    constexpr int kFloorSteps = 16;
    std::vector<double> logDerates, floors;
    for (int i = 0; i < kDerateSteps; ++i)
        logDerates.push_back(kLnMinDerate * (1.0 - double(i) / (kDerateSteps - 1)));
    for (int i = 0; i < kFloorSteps; ++i)
        floors.push_back(f.upper(2) * double(i) / (kFloorSteps - 1));
    // The best grid point of each floor level: a floor that does not bind leaves the cost flat, so
    // a search from a low floor would not see that a higher one fits better.
    std::vector<std::pair<double, Vec>> levels;
    const double objectiveStart = f(startVec);
    for (double fl : floors) {
        std::pair<double, Vec> level{kHuge, {}};
        for (double c : logDerates)
            for (double b : logDerates) {
                const Vec v{c, b, fl};
                if (const double cost = f(v); cost < level.first)
                    level = {cost, v};
            }
        levels.push_back(level);
    }
    // Floors below every kernel give the same cost: keep the lowest of those, then the best four.
    levels.erase(std::unique(levels.begin(), levels.end(),
                             [](const auto &a, const auto &b) { return std::abs(a.first - b.first) <= 1e-12 * (1.0 + a.first); }),
                 levels.end());
    std::stable_sort(levels.begin(), levels.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    levels.resize(std::min<std::size_t>(levels.size(), 4));
    levels.push_back({objectiveStart, startVec});

    // Refine each with Nelder–Mead, restarted from its result until a restart no longer improves it.
    Vec best = startVec;
    double bestCost = objectiveStart;
    for (auto [levelCost, x] : levels) {
        for (int restart = 0; restart < 8; ++restart) {
            double cost = 0.0;
            const Vec next = nelderMead(f, x, cost);
            const bool improved = cost < levelCost - 1e-13 * (1.0 + levelCost);
            if (cost < levelCost) {
                levelCost = cost;
                x = next;
            }
            if (!improved)
                break;
        }
        if (levelCost < bestCost) {
            bestCost = levelCost;
            best = x;
        }
    }

    // A number the points do not constrain (moving it 2 % either way leaves the data term unchanged,
    // e.g. a floor below every kernel) keeps its start value, when that does not fit the data worse.
    const std::array<bool *, 3> identified = {&fit.computeIdentified, &fit.bandwidthIdentified, &fit.floorIdentified};
    const Vec localStep = {0.02, 0.02, 0.02};
    for (std::size_t k = 0; k < 3; ++k) {
        const double bestData = f.data(best);
        const double tolerance = 1e-12 * (1.0 + bestData);
        bool moves = false;
        for (double sign : {-1.0, 1.0}) {
            Vec v = best;
            v[k] += sign * localStep[k];
            v = f.clamp(v);
            if (v[k] != best[k] && std::abs(f.data(v) - bestData) > tolerance)
                moves = true;
        }
        *identified[k] = moves;
        if (!moves) {
            Vec v = best;
            v[k] = startVec[k];
            if (f.data(v) <= bestData + tolerance)
                best[k] = startVec[k];
        }
    }
    fit.fitted = f.toEfficiencies(best);
    // Kept start values exactly, not through the transformation.
    if (best[0] == startVec[0])
        fit.fitted.computeDerate = start.computeDerate;
    if (best[1] == startVec[1])
        fit.fitted.bandwidthDerate = start.bandwidthDerate;
    if (best[2] == startVec[2])
        fit.fitted.latencyFloorS = start.latencyFloorS;
    fit.costFitted = logSquaredError(measuredS, predict, fit.fitted);
    if (!(fit.costFitted <= fit.costStart)) {
        fit.fitted = start;
        fit.costFitted = fit.costStart;
    }
    fit.evaluations = f.evaluations();
    return fit;
}

double meanAbsolutePercentageError(const std::vector<double> &predicted, const std::vector<double> &measured)
{
    if (measured.empty())
        return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < measured.size(); ++i)
        sum += std::abs(predicted[i] - measured[i]) / measured[i];
    return 100.0 * sum / double(measured.size());
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1)
        return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid));
    return 0.5 * (lower + upper);
}

HardwareCalibration calibrate(const std::vector<double> &measuredS, const std::vector<std::string> &sources,
                              const KernelTimePredictor &predict, const KernelEfficiencies &start, double priorWeight)
{
    HardwareCalibration c;
    c.fit = fitKernelEfficiencies(measuredS, predict, start, priorWeight);
    const std::size_t n = measuredS.size();
    for (std::size_t i = 0; i < n; ++i) {
        c.predictedStartS.push_back(predict(i, start));
        c.predictedFittedS.push_back(predict(i, c.fit.fitted));
    }
    c.predictedHoldoutS = c.predictedStartS;
    for (std::size_t i = 0; i < n; ++i) {
        auto it = std::find_if(c.holdouts.begin(), c.holdouts.end(), [&](const SourceHoldout &h) { return h.source == sources[i]; });
        if (it == c.holdouts.end()) {
            c.holdouts.push_back({sources[i], {}, false, start});
            it = c.holdouts.end() - 1;
        }
        it->points.push_back(i);
    }
    for (SourceHoldout &h : c.holdouts) {
        std::vector<std::size_t> rest;
        std::vector<double> restMeasured;
        for (std::size_t i = 0; i < n; ++i)
            if (sources[i] != h.source) {
                rest.push_back(i);
                restMeasured.push_back(measuredS[i]);
            }
        if (!rest.empty()) {
            const KernelTimePredictor sub = [&](std::size_t k, const KernelEfficiencies &e) { return predict(rest[k], e); };
            h.fitted = fitKernelEfficiencies(restMeasured, sub, start, priorWeight).fitted;
            h.refitted = true;
        }
        for (std::size_t i : h.points)
            c.predictedHoldoutS[i] = predict(i, h.fitted);
    }
    c.mapeStartPct = meanAbsolutePercentageError(c.predictedStartS, measuredS);
    c.mapeFittedPct = meanAbsolutePercentageError(c.predictedFittedS, measuredS);
    c.mapeHoldoutPct = meanAbsolutePercentageError(c.predictedHoldoutS, measuredS);
    return c;
}

} // namespace mlastudio::core
