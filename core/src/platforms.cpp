// SPDX-License-Identifier: MIT
#include "mlastudio/core/platforms.h"

#include "mlastudio/core/costmodel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mlastudio::core {

PlatformClass platformClassFromCategory(std::string_view category)
{
    if (category == "template")
        return PlatformClass::Template;
    if (category.find("gpu") != std::string_view::npos)
        return PlatformClass::Gpu;
    if (category.find("accelerator") != std::string_view::npos || category.find("tpu") != std::string_view::npos)
        return PlatformClass::Accelerator;
    return PlatformClass::Other;
}

std::string_view platformClassId(PlatformClass c)
{
    switch (c) {
    case PlatformClass::Template: return "template";
    case PlatformClass::Gpu: return "gpu";
    case PlatformClass::Accelerator: return "accelerator";
    case PlatformClass::Other: break;
    }
    return "other";
}

std::string_view platformClassName(PlatformClass c)
{
    switch (c) {
    case PlatformClass::Template: return "templates";
    case PlatformClass::Gpu: return "GPUs";
    case PlatformClass::Accelerator: return "TPUs/accelerators";
    case PlatformClass::Other: break;
    }
    return "others";
}

std::string_view normalizationId(Normalization n)
{
    switch (n) {
    case Normalization::Absolute: return "absolute";
    case Normalization::RelativeToMha: return "mha";
    case Normalization::FractionOfPeak: break;
    }
    return "peak";
}

std::optional<Normalization> normalizationFromId(std::string_view id)
{
    for (Normalization n : {Normalization::Absolute, Normalization::RelativeToMha, Normalization::FractionOfPeak})
        if (normalizationId(n) == id)
            return n;
    return std::nullopt;
}

double machineBalanceFlopPerByte(const HardwareConfig &hw)
{
    return hw.dramBandwidthBytesPerS > 0.0 ? hw.peakFlopsBf16 / hw.dramBandwidthBytesPerS : 0.0;
}

double rooflinePeakFlopsPerS(const Parameters &params, double intensityFlopPerByte)
{
    const int bits = std::max({params.precision.weightBits, params.precision.kvBits, params.precision.activationBits});
    const double peak = effectivePeakFlops(params, KernelClass::Attention, bits);
    if (intensityFlopPerByte <= 0.0)
        return peak;
    return std::min(peak, intensityFlopPerByte * effectiveRoofs(params, KernelClass::Attention).dramBytesPerS);
}

double utilisation(const Parameters &params, const StepResult &r)
{
    if (r.timeS <= 0.0 || r.flops <= 0.0)
        return 0.0;
    const double roof = rooflinePeakFlopsPerS(params, r.intensityFlopPerByte);
    return roof > 0.0 ? r.flops / r.timeS / roof : 0.0;
}

const PlatformCell *PlatformRow::cell(Scheme scheme) const
{
    for (const PlatformCell &c : cells)
        if (c.scheme == scheme)
            return &c;
    return nullptr;
}

std::vector<std::size_t> orderByMachineBalance(const std::vector<HardwareConfig> &platforms)
{
    std::vector<std::size_t> order(platforms.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return machineBalanceFlopPerByte(platforms[a]) < machineBalanceFlopPerByte(platforms[b]);
    });
    return order;
}

std::vector<PlatformRow> comparePlatforms(const Parameters &base, const std::vector<HardwareConfig> &platforms,
                                          const std::vector<Scheme> &schemes)
{
    std::vector<PlatformRow> rows;
    rows.reserve(platforms.size());
    Parameters p = base;
    for (std::size_t index : orderByMachineBalance(platforms)) {
        PlatformRow row;
        row.hardware = platforms[index];
        row.platformClass = platformClassFromCategory(row.hardware.category);
        row.machineBalanceFlopPerByte = machineBalanceFlopPerByte(row.hardware);
        p.hardware = row.hardware;
        const std::vector<ValidationIssue> issues = validate(p);
        if (!issues.empty())
            row.problem = issues.front().message;
        row.cells.reserve(schemes.size());
        for (Scheme s : schemes) {
            PlatformCell c;
            c.scheme = s;
            if (issues.empty() && isApplicable(p, s)) {
                c.result = evaluate(p, s);
                c.utilisation = utilisation(p, c.result);
                c.valid = true;
            }
            row.cells.push_back(std::move(c));
        }
        if (const PlatformCell *mha = row.cell(Scheme::Mha); mha && mha->valid) {
            row.mhaValid = true;
            row.mhaTokensPerS = mha->result.tokensPerS;
            row.mhaEnergyPerTokenJ = mha->result.energyPerTokenJ;
        } else if (issues.empty() && isApplicable(p, Scheme::Mha)) {
            const StepTotals t = evaluateTotals(p, Scheme::Mha);
            if (t.timeS > 0.0 && t.tokensPerStep > 0.0) {
                row.mhaValid = true;
                row.mhaTokensPerS = t.tokensPerStep / t.timeS;
                row.mhaEnergyPerTokenJ = t.energyJ / t.tokensPerStep;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<Scheme> fastestScheme(const PlatformRow &row)
{
    const PlatformCell *best = nullptr;
    for (const PlatformCell &c : row.cells)
        if (c.valid && (!best || c.result.tokensPerS > best->result.tokensPerS))
            best = &c;
    return best ? std::optional<Scheme>(best->scheme) : std::nullopt;
}

double normalizedThroughput(const PlatformRow &row, const PlatformCell &cell, Normalization n)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (!cell.valid)
        return nan;
    switch (n) {
    case Normalization::Absolute: return cell.result.tokensPerS;
    case Normalization::RelativeToMha:
        return row.mhaValid && row.mhaTokensPerS > 0.0 ? cell.result.tokensPerS / row.mhaTokensPerS : nan;
    case Normalization::FractionOfPeak: break;
    }
    return cell.utilisation;
}

double normalizedEnergy(const PlatformRow &row, const PlatformCell &cell, Normalization n)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (!cell.valid)
        return nan;
    if (n == Normalization::RelativeToMha)
        return row.mhaValid && row.mhaEnergyPerTokenJ > 0.0 ? cell.result.energyPerTokenJ / row.mhaEnergyPerTokenJ : nan;
    return cell.result.energyPerTokenJ;
}

Stability stabilityOfValues(const std::vector<double> &u)
{
    Stability s;
    s.platforms = int(u.size());
    if (u.empty())
        return s;
    s.minUtilisation = *std::min_element(u.begin(), u.end());
    s.maxUtilisation = *std::max_element(u.begin(), u.end());
    s.meanUtilisation = std::accumulate(u.begin(), u.end(), 0.0) / double(u.size());
    double sq = 0.0;
    for (double v : u)
        sq += (v - s.meanUtilisation) * (v - s.meanUtilisation);
    const double sd = std::sqrt(sq / double(u.size()));
    s.coefficientOfVariation = s.meanUtilisation > 0.0 ? sd / s.meanUtilisation : 0.0;
    s.maxOverMin = s.minUtilisation > 0.0 ? s.maxUtilisation / s.minUtilisation
                                          : std::numeric_limits<double>::infinity();
    return s;
}

std::vector<Stability> stabilityOf(const std::vector<PlatformRow> &rows, const std::vector<Scheme> &schemes)
{
    std::vector<Stability> out;
    for (Scheme scheme : schemes) {
        std::vector<double> u;
        for (const PlatformRow &row : rows)
            if (const PlatformCell *c = row.cell(scheme); c && c->valid)
                u.push_back(c->utilisation);
        Stability s = stabilityOfValues(u);
        s.scheme = scheme;
        out.push_back(s);
    }
    return out;
}

} // namespace mlastudio::core
