// SPDX-License-Identifier: MIT
#include "mlastudio/core/sweep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mlastudio::core {

std::string_view sweepAxisId(SweepAxis axis)
{
    switch (axis) {
    case Field::KvLength: return "kv-length";
    case Field::Batch: return "batch";
    case Field::DramBandwidth: return "bandwidth";
    case Field::PeakCompute: return "compute";
    case Field::SramCapacity: return "sram";
    case Field::QueryLength: return "query-length";
    default: return fieldInfo(axis).cliName;
    }
}

std::optional<SweepAxis> sweepAxisFromId(std::string_view id)
{
    for (const FieldInfo &f : allFields())
        if (sweepAxisId(f.field) == id || f.cliName == id || f.id == id)
            return f.field;
    return std::nullopt;
}

std::vector<double> logSpace(double min, double max, int count)
{
    if (count < 2 || !(min > 0.0) || !(max > min) || !std::isfinite(max))
        throw std::invalid_argument("logSpace: need count >= 2 and 0 < min < max");
    std::vector<double> v(count);
    const double a = std::log10(min), b = std::log10(max);
    for (int i = 0; i < count; ++i)
        v[i] = std::pow(10.0, a + (b - a) * i / (count - 1));
    v.front() = min;
    v.back() = max;
    return v;
}

SweepRange sweepRange(SweepAxis axis)
{
    if (axis == Field::SramCapacity)
        return {1048576.0, 1073741824.0, true};
    const FieldInfo &f = fieldInfo(axis);
    return {f.min * f.displayScale, f.max * f.displayScale, f.logScale && f.min > 0.0};
}

std::vector<double> sweepAxisValues(SweepAxis axis, int maxPoints)
{
    const FieldInfo &f = fieldInfo(axis);
    const SweepRange r = sweepRange(axis);
    std::vector<double> v;
    if (f.group == FieldGroup::Precision) {
        for (double bits : {4.0, 8.0, 16.0})
            if (bits >= r.min && bits <= r.max)
                v.push_back(bits);
        return v;
    }
    if (maxPoints < 2)
        throw std::invalid_argument("sweepAxisValues: need at least 2 points");
    v = r.logScale ? logSpace(r.min, r.max, maxPoints) : std::vector<double>(std::size_t(maxPoints));
    for (int i = 0; i < maxPoints; ++i) {
        double &x = v[std::size_t(i)];
        if (!r.logScale)
            x = r.min + (r.max - r.min) * i / (maxPoints - 1);
        // Snapped in display units, as the slider snaps; unsnapped real fields keep the exact ends.
        if (f.integer || f.step > 0.0)
            x = snapDisplayValue(f, x / f.displayScale) * f.displayScale;
    }
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

Parameters withAxisValue(const Parameters &params, SweepAxis axis, double value)
{
    Parameters p = params;
    setFieldValue(p, axis, value);
    return p;
}

double axisValue(const Parameters &p, SweepAxis axis)
{
    return fieldValue(p, axis);
}

SweepSeries sweep(const Parameters &params, Scheme scheme, SweepAxis axis, const std::vector<double> &values)
{
    SweepSeries s;
    s.scheme = scheme;
    s.x = values;
    const std::size_t n = values.size();
    s.tokensPerS.resize(n);
    s.energyPerTokenJ.resize(n);
    s.timeS.resize(n);
    s.intensityFlopPerByte.resize(n);
    s.valid.resize(n);
    s.fitsInDram.resize(n);
    // A model field (e.g. the latent rank down to 0) can make a scheme inapplicable at some points.
    const bool modelAxis = fieldInfo(axis).group == FieldGroup::Model;
    const bool applicable = modelAxis || isApplicable(params, scheme);
    Parameters p = params;
    for (std::size_t i = 0; i < n; ++i) {
        p = withAxisValue(params, axis, values[i]);
        const bool ok = applicable && (!modelAxis || isApplicable(p, scheme)) && validate(p).empty();
        s.valid[i] = ok;
        if (!ok) {
            s.tokensPerS[i] = s.energyPerTokenJ[i] = s.timeS[i] = s.intensityFlopPerByte[i] =
                std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        s.fitsInDram[i] = dramNeededBytes(p, scheme) <= p.hardware.dramCapacityBytes;
        const StepTotals t = evaluateTotals(p, scheme);
        s.timeS[i] = t.timeS;
        s.tokensPerS[i] = t.tokensPerStep / t.timeS;
        s.energyPerTokenJ[i] = t.energyJ / t.tokensPerStep;
        s.intensityFlopPerByte[i] = t.dramBytes > 0.0 ? t.flops / t.dramBytes : 0.0;
    }
    return s;
}

std::vector<double> fieldSweepValues(const FieldInfo &field, double from, double to, int points, bool logSpacing)
{
    if (points < 1)
        throw std::invalid_argument("at least one point is needed");
    if (!std::isfinite(from) || !std::isfinite(to))
        throw std::invalid_argument("the ends must be finite numbers");
    if (points == 1 && from != to)
        throw std::invalid_argument("one point needs the same start and end");
    if (logSpacing && (from <= 0.0 || to <= 0.0))
        throw std::invalid_argument("a log sweep needs ends greater than 0");
    std::vector<double> v;
    v.reserve(std::size_t(points));
    const double a = logSpacing ? std::log10(from) : from, b = logSpacing ? std::log10(to) : to;
    for (int i = 0; i < points; ++i) {
        double x = i == 0 ? from : i == points - 1 ? to : points > 1 ? a + (b - a) * i / (points - 1) : a;
        if (logSpacing && i > 0 && i < points - 1)
            x = std::pow(10.0, x);
        if (field.integer)
            x = std::round(x);
        if (field.integer && !v.empty() && v.back() == x)
            continue;
        v.push_back(x);
    }
    return v;
}

std::vector<FieldSweepPoint> fieldSweep(const Parameters &params, Field field, const std::vector<double> &displayValues,
                                        const std::vector<Scheme> &schemes, bool addAuto, bool skipInapplicable)
{
    const FieldInfo &info = fieldInfo(field);
    std::vector<FieldSweepPoint> out;
    out.reserve(displayValues.size());
    Parameters p = params;
    for (double x : displayValues) {
        FieldSweepPoint point;
        point.displayValue = x;
        p = params;
        setFieldValue(p, field, x * info.displayScale);
        point.issues = validate(p);
        if (point.issues.empty()) {
            point.results.reserve(schemes.size() + (addAuto ? 1 : 0));
            for (Scheme s : schemes) {
                if (std::vector<ValidationIssue> why = validateScheme(p, s); !why.empty()) {
                    if (!skipInapplicable)
                        point.issues.insert(point.issues.end(), why.begin(), why.end());
                    continue;
                }
                point.results.push_back(evaluate(p, s));
            }
            if (addAuto && point.issues.empty()) {
                if (std::vector<ValidationIssue> why = validateScheme(p, Scheme::MlaReuse); !why.empty())
                    point.issues.insert(point.issues.end(), why.begin(), why.end());
                else
                    point.results.push_back(evaluateAuto(p));
            }
            if (!point.issues.empty())
                point.results.clear();
        }
        out.push_back(std::move(point));
    }
    return out;
}

namespace {

// x rounded to 36 significant bits (relative change below 2^-36, 1.5e-11).
double roundTo36Bits(double x)
{
    if (!(x > 0.0) || !std::isfinite(x))
        return x;
    int exponent = 0;
    const double mantissa = std::frexp(x, &exponent);
    return std::ldexp(std::round(std::ldexp(mantissa, 36)), exponent - 36);
}

} // namespace

SchemeMapInputs schemeMapInputs(const Parameters &params, const std::vector<Scheme> &schemes)
{
    SchemeMapInputs inputs;
    // The grid's compute axis is the 16-bit peak; 8- and 4-bit operands run at fixed multiples of it.
    // The compute field keeps those multiples only up to rounding, which adds up over a drag (it
    // rescales P_8 and P_4 at each move). Taken relative to P_16 and rounded to 36 bits, they are the
    // same at every point of a drag, so moving compute alone leaves the inputs equal.
    Parameters relative = params;
    HardwareConfig &hw = relative.hardware;
    if (hw.peakFlopsBf16 > 0.0 && std::isfinite(hw.peakFlopsBf16)) {
        hw.peakFlopsFp8 = roundTo36Bits(hw.peakFlopsFp8 / hw.peakFlopsBf16);
        hw.peakFlopsFp4 = roundTo36Bits(hw.peakFlopsFp4 / hw.peakFlopsBf16);
        hw.peakFlopsBf16 = 1.0;
    }
    const EffectiveRoofs roofs[2] = {effectiveRoofs(params, KernelClass::Gemm),
                                     effectiveRoofs(params, KernelClass::Attention)};
    for (Scheme scheme : schemes) {
        if (!isApplicable(params, scheme))
            continue;
        const StepCosts costs = planStep(params, scheme);
        SchemeMapScheme &s = inputs.schemes.emplace_back();
        s.scheme = scheme;
        s.operators.reserve(std::size_t(costs.operatorCount));
        for (int i = 0; i < costs.operatorCount; ++i) {
            const OperatorCost &c = costs.operators[std::size_t(i)];
            SchemeMapOperator &o = s.operators.emplace_back();
            if (c.collectiveDevices > 1.0) {
                // A collective's time is its link and latency terms, neither of them on an axis.
                o.fixedTimeS = costOperator(c, params).timeS;
                continue;
            }
            const EffectiveRoofs &r = roofs[c.kernelClass == KernelClass::Attention ? 1 : 0];
            // FLOPs expressed at the 16-bit rate: the grid's compute axis is the 16-bit peak.
            o.flopsAt16 = effectiveFlopsAt16(c, relative);
            o.dramBytes = c.dramBytes;
            o.bandwidthEfficiency = r.bandwidthEfficiency;
            o.sramTimeS = c.sramBytes / r.sramBytesPerS;
            o.fixedTimeS = c.launches * r.latencyFloorS;
            o.partialOverlap = r.partialOverlap;
        }
    }
    return inputs;
}

SchemeMap schemeMap(const Parameters &params, const std::vector<Scheme> &schemes,
                    const Eigen::ArrayXd &bandwidth, const Eigen::ArrayXd &compute)
{
    return schemeMap(schemeMapInputs(params, schemes), bandwidth, compute);
}

SchemeMap schemeMap(const SchemeMapInputs &inputs, const Eigen::ArrayXd &bandwidth, const Eigen::ArrayXd &compute)
{
    SchemeMap map;
    map.bandwidthBytesPerS = bandwidth;
    map.computeFlopsPerS = compute;
    const Eigen::Index rows = bandwidth.size(), cols = compute.size();
    Eigen::ArrayXd dramTime(rows);
    for (const SchemeMapScheme &s : inputs.schemes) {
        Eigen::ArrayXXd time = Eigen::ArrayXXd::Zero(rows, cols);
        for (const SchemeMapOperator &o : s.operators) {
            if (o.flopsAt16 == 0.0 && o.dramBytes == 0.0) {
                // No roofline terms (a collective, an empty operator): max(0, 0, t_SRAM) + t_fixed.
                time += std::max(0.0, o.sramTimeS) + o.fixedTimeS;
                continue;
            }
            dramTime = o.dramBytes / (o.bandwidthEfficiency * bandwidth);  // one value per row
            // Column by column: the compute time is one number per column, so no grid temporaries.
            // The same operations as overlappedTimeS() and evaluate(), as vectorised array ops.
            if (o.partialOverlap) {
                for (Eigen::Index j = 0; j < cols; ++j) {
                    const double computeTime = o.flopsAt16 / compute(j);
                    time.col(j) += (computeTime * computeTime + dramTime.square()).sqrt().max(o.sramTimeS) + o.fixedTimeS;
                }
            } else {
                for (Eigen::Index j = 0; j < cols; ++j) {
                    const double computeTime = o.flopsAt16 / compute(j);
                    time.col(j) += dramTime.max(computeTime).max(o.sramTimeS) + o.fixedTimeS;
                }
            }
        }
        map.schemes.push_back(s.scheme);
        map.timeS.push_back(std::move(time));
    }

    map.bestIndex = Eigen::ArrayXXi::Zero(rows, cols);
    map.speedupOverRunnerUp = Eigen::ArrayXXd::Ones(rows, cols);
    if (map.schemes.empty())
        return map;
    Eigen::ArrayXXd best = map.timeS[0];
    Eigen::ArrayXXd second = Eigen::ArrayXXd::Constant(rows, cols, std::numeric_limits<double>::infinity());
    for (std::size_t s = 1; s < map.timeS.size(); ++s) {
        const Eigen::ArrayXXd &t = map.timeS[s];
        const Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> faster = t < best;
        second = faster.select(best, second.min(t));
        map.bestIndex = faster.select(Eigen::ArrayXXi::Constant(rows, cols, int(s)), map.bestIndex);
        best = faster.select(t, best);
    }
    if (map.timeS.size() > 1)
        map.speedupOverRunnerUp = second / best;
    return map;
}

} // namespace mlastudio::core
