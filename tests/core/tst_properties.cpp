// SPDX-License-Identifier: MIT
// Properties the model must have for any input: monotonicity, limits, finiteness, clear errors.
#include "check.h"
#include "testutil.h"

#include "../fuzz/fuzz_common.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/inputlimits.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

using namespace mlastudio::core;

namespace {

struct Workloads {
    Phase phase;
    int batch;
    long long kvLength;
    int queryLength;
};

const Workloads kWorkloads[] = {
    {Phase::Decode, 1, 4096, 1},   {Phase::Decode, 64, 32768, 1}, {Phase::Decode, 8, 1024, 4},
    {Phase::Prefill, 1, 2048, 1},  {Phase::Decode, 512, 128, 1},  {Phase::Prefill, 4, 16384, 1},
};

std::vector<Parameters> scenarios()
{
    std::vector<Parameters> out;
    for (const char *hw : {"h100-sxm", "edge-template", "cloud-template", "mi300x"})
        for (const Workloads &w : kWorkloads)
            for (int bits : {16, 8, 4}) {
                Parameters p = testutil::params("deepseek-v3", hw);
                p.workload = {w.phase, w.batch, w.kvLength, w.queryLength};
                p.precision = {bits, bits, bits};
                out.push_back(p);
                // The realistic model (efficiencies, tiles, latency floor), for the step and the kernel.
                p.applyDerates = true;
                out.push_back(p);
                p.scope = Scope::Kernel;
                out.push_back(p);
            }
    return out;
}

bool le(double a, double b)
{
    return a <= b * (1 + 1e-12) + 1e-300;
}

} // namespace

namespace {

// Keeps an accepted corner accepted: TP divides the heads and has a link, KV heads divide the heads, S <= L.
void repairRules(Parameters &p)
{
    if (p.model.numHeads % p.parallel.tensor != 0)
        p.model.numHeads = p.parallel.tensor;
    if (p.parallel.tensor > 1 && p.hardware.interconnectBandwidthBytesPerS <= 0.0)
        p.hardware.interconnectBandwidthBytesPerS = 1e3;
    if (p.model.numHeads % p.model.numKvHeads != 0)
        p.model.numKvHeads = p.model.numHeads;
    if (p.workload.queryLength > p.workload.kvLength)
        p.workload.queryLength = int(p.workload.kvLength);
    // EP divides the routed experts and the TP · DP devices, and has a link; k lies in 1..E.
    if (p.parallel.expert > 1) {
        if (p.model.routedExperts == 0 || p.model.routedExperts % p.parallel.expert != 0)
            p.model.routedExperts = p.parallel.expert;
        if ((p.parallel.tensor * p.parallel.data) % p.parallel.expert != 0)
            p.parallel.data = p.parallel.expert;
        if (p.hardware.interconnectBandwidthBytesPerS <= 0.0)
            p.hardware.interconnectBandwidthBytesPerS = 1e3;
    }
    if (p.model.routedExperts >= 1 && (p.model.expertsPerToken < 1 || p.model.expertsPerToken > p.model.routedExperts))
        p.model.expertsPerToken = p.model.routedExperts;
}

// The ends of one limit's range: min, max, and 0 where 0 is accepted.
std::vector<double> endsOf(const InputLimit &l)
{
    if (l.kind == LimitKind::Bits)
        return {4.0, 16.0};
    std::vector<double> v{l.min, l.max};
    if (l.zeroAllowed)
        v.push_back(0.0);
    return v;
}

void checkFiniteEverywhere(const Parameters &p, const std::string &where)
{
    CHECK_MSG(validate(p).empty(), where + ": " + (validate(p).empty() ? "" : formatIssue(validate(p)[0], IssueStyle::Preset)));
    bool anyMla = false;
    for (Scheme s : kAllSchemes) {
        if (!isApplicable(p, s))
            continue;
        anyMla = anyMla || isMlaScheme(s);
        const StepResult r = evaluate(p, s);
        const char *bad = mlastudio::fuzz::firstNonFinite(r);
        CHECK_MSG(!bad, where + " " + std::string(schemeId(s)) + ": " + (bad ? bad : ""));
        const StepTotals t = evaluateTotals(p, s);
        CHECK_MSG(std::isfinite(t.timeS) && t.timeS > 0 && std::isfinite(t.energyJ), where + " totals " + std::string(schemeId(s)));
    }
    if (anyMla)
        CHECK_MSG(!mlastudio::fuzz::firstNonFinite(evaluateAuto(p)), where + " auto");
}

} // namespace

TEST_CASE(moreOnChipMemoryNeverHurts)
{
    const double capacities[] = {0, 1024, 65536, 1 << 20, 8 << 20, 32 << 20, 128 << 20, 1 << 30, 64.0 * (1 << 30)};
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            StepResult prev;
            bool first = true;
            for (double c : capacities) {
                Parameters p = base;
                p.hardware.sramCapacityBytes = c;
                const StepResult r = evaluate(p, s);
                if (!first) {
                    const std::string where = std::string(schemeId(s)) + " C=" + check::show(c) + " B="
                                              + std::to_string(p.workload.batch) + " L="
                                              + std::to_string(p.workload.kvLength);
                    CHECK_MSG(le(r.timeS, prev.timeS), where + " time");
                    CHECK_MSG(le(r.energyJ, prev.energyJ), where + " energy");
                    CHECK_MSG(le(r.dramBytes, prev.dramBytes), where + " dram");
                }
                prev = r;
                first = false;
            }
        }
}

TEST_CASE(moreBandwidthNeverSlows)
{
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            double prev = std::numeric_limits<double>::infinity();
            for (double bw : {1e9, 1e10, 2e11, 3.35e12, 8e12, 2e13}) {
                Parameters p = base;
                p.hardware.dramBandwidthBytesPerS = bw;
                const double t = evaluate(p, s).timeS;
                CHECK(le(t, prev));
                prev = t;
            }
        }
}

TEST_CASE(moreComputeNeverSlows)
{
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            double prev = std::numeric_limits<double>::infinity();
            for (double flops : {1e11, 1e13, 1e14, 1e15, 1e16}) {
                Parameters p = base;
                setFieldValue(p, Field::PeakCompute, flops);
                const double t = evaluate(p, s).timeS;
                CHECK(le(t, prev));
                prev = t;
            }
        }
}

TEST_CASE(infiniteBandwidthMakesEveryOperatorComputeBound)
{
    // "Infinite" = the largest bandwidths validate() accepts, 1e18 and 1e19 B/s.
    for (Parameters p : scenarios()) {
        p.hardware.dramBandwidthBytesPerS = 1e18;
        p.hardware.sramBandwidthBytesPerS = 1e19;
        p.hardware.kernelLatencyFloorS = 0.0;  // the floor is no roof of bandwidth or compute
        for (Scheme s : kAllSchemes) {
            const StepResult r = evaluate(p, s);
            for (const OperatorResult &o : r.operators)
                if (o.cost.flops > 0)
                    CHECK_EQ(o.bound, Bound::Compute);
            CHECK_EQ(r.bound, Bound::Compute);
        }
    }
}

TEST_CASE(sliderCornersAreFinite)
{
    // Every corner of the slider ranges (fields.h), for every scheme and phase.
    const Field corners[] = {Field::DramBandwidth, Field::PeakCompute, Field::SramCapacity, Field::Batch, Field::KvLength};
    const int n = int(std::size(corners));
    for (int mask = 0; mask < (1 << n); ++mask)
        for (Phase phase : {Phase::Decode, Phase::Prefill})
            for (int bits : {4, 16}) {
                Parameters p = testutil::params();
                p.workload.phase = phase;
                p.precision = {bits, bits, bits};
                for (int i = 0; i < n; ++i) {
                    const FieldInfo &f = fieldInfo(corners[i]);
                    setFieldValue(p, f.field, ((mask >> i) & 1 ? f.max : f.min) * f.displayScale);
                }
                checkFiniteEverywhere(p, "slider corner " + std::to_string(mask));
            }
}

TEST_CASE(badInputsGiveClearErrors)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const struct {
        const char *name;
        Field field;
        double value;
        const char *named;
    } rows[] = {
        {"zero bandwidth", Field::DramBandwidth, 0.0, "dram.bandwidth"},
        {"negative bandwidth", Field::DramBandwidth, -5.0, "dram.bandwidth"},
        {"NaN compute", Field::PeakCompute, nan, "compute.bf16"},
        {"infinite on-chip bandwidth", Field::SramBandwidth, std::numeric_limits<double>::infinity(), "sram.bandwidth"},
        // Finite but absurd values would overflow the results to inf: they are out of range instead.
        {"tiny compute", Field::PeakCompute, 1e-300, "compute.bf16"},
        {"huge MAC energy", Field::EnergyMac16, 1e300, "energy.mac_bf16"},
        {"negative on-chip memory", Field::SramCapacity, -1.0, "sram.capacity"},
        {"heads do not divide", Field::KvHeads, 7.0, "num_kv_heads"},
        {"zero batch", Field::Batch, 0.0, "batch"},
        {"NaN batch", Field::Batch, nan, "batch"},
        {"query longer than cache", Field::QueryLength, 5000.0, "query_len"},
        {"6-bit weights", Field::WeightBits, 6.0, "weight_bits"},
        {"derate above 1", Field::ComputeDerate, 1.5, "derate.compute"},
        {"zero layers", Field::Layers, 0.0, "num_layers"},
        // Vanishing factors: a denormal derate divided times into infinity.
        {"denormal compute derate", Field::ComputeDerate, 1e-320, "derate.compute"},
        {"denormal bandwidth derate", Field::BandwidthDerate, 4.9e-324, "derate.bandwidth"},
        {"derate below 1 %", Field::ComputeDerate, 0.009, "derate.compute"},
        {"denormal static power", Field::StaticPower, 1e-310, "energy.static_power"},
        {"denormal DRAM energy", Field::EnergyDram, 1e-320, "energy.dram"},
        {"on-chip memory below 1 KiB", Field::SramCapacity, 512.0, "sram.capacity"},
    };
    for (const auto &row : rows) {
        Parameters p = testutil::params();
        p.applyDerates = true;
        setFieldValue(p, row.field, row.value);
        const auto issues = validate(p);
        CHECK_MSG(!issues.empty(), row.name);
        CHECK_MSG(issues.front().field == row.named, std::string(row.name) + ": " + issues.front().field); // the edited field first
        CHECK(!issues.front().message.empty());
        CHECK_MSG(issues.front().limit == inputLimit(row.field), row.name);
        try {
            evaluate(p, Scheme::MlaReuse);
            FAIL(std::string("evaluate accepted invalid input: ") + row.name);
        } catch (const ModelError &e) {
            CHECK(std::string(e.what()).find(row.named) != std::string::npos);
        }
    }
}

TEST_CASE(issuesInEachFrontEndsWords)
{
    // One issue, phrased for the command line (option, display units), a scenario file (JSON path,
    // SI) and the GUI (label, display units).
    Parameters p = testutil::params();
    setFieldValue(p, Field::EnergyMac16, 1.0); // 1 J, typed as --energy-mac-pj 1e12
    const std::vector<ValidationIssue> issues = validate(p);
    CHECK_EQ(issues.size(), std::size_t(1));
    CHECK_EQ(formatIssue(issues[0], IssueStyle::CommandLine),
             std::string("--energy-mac-pj: must be 0 or from 1e-6 to 1e6 pJ, got 1e12 pJ"));
    CHECK_EQ(formatIssue(issues[0], IssueStyle::Json),
             std::string("hardware.energy_per_mac_bf16_j: must be 0 or from 1e-18 to 1e-6 J, got 1 J"));
    CHECK_EQ(formatIssue(issues[0], IssueStyle::Display),
             std::string("Energy / MAC (16-bit): must be 0 or from 1e-6 to 1e6 pJ, got 1e12 pJ"));
    CHECK_EQ(formatIssue(issues[0], IssueStyle::Preset),
             std::string("energy.mac_bf16: must be 0 or from 1e-18 to 1e-6 J, got 1 J"));

    p = testutil::params();
    setFieldValue(p, Field::SramCapacity, -1048576.0);
    CHECK_EQ(formatIssue(validate(p).at(0), IssueStyle::CommandLine),
             std::string("--sram-mib: must be 0 or from 0.0009765625 to 1048576 MiB, got -1 MiB"));
    // A rule across fields reads the same everywhere but for the subject.
    p = testutil::params();
    setFieldValue(p, Field::KvHeads, 7);
    CHECK_EQ(formatIssue(validate(p).at(0), IssueStyle::CommandLine),
             std::string("--kv-heads: must divide the number of heads (128), got 7"));
    CHECK_EQ(formatIssue(validate(p).at(0), IssueStyle::Json),
             std::string("model.num_kv_heads: must divide the number of heads (128), got 7"));
}

TEST_CASE(everyFieldHasOneLimit)
{
    // Each user-facing field maps to exactly one row, whose getter reads that field's number.
    for (const FieldInfo &f : allFields()) {
        int rows = 0;
        for (const InputLimit &l : allInputLimits())
            rows += l.field == f.field ? 1 : 0;
        CHECK_MSG(rows == 1, std::string(f.id));
        CHECK_MSG(inputLimit(f.field), std::string(f.id));
        const InputLimit &l = *inputLimit(f.field);
        const Parameters p = testutil::distinctParameters();
        if (f.field != Field::EnergyMac8) // fieldValue() shows the 16-bit energy when no 8-bit one is set
            CHECK_MSG(l.value(p) == fieldValue(p, f.field), std::string(f.id));
        // The slider range lies inside the accepted range.
        for (double display : {f.min, f.max})
            CHECK_MSG(withinLimit(l, display * f.displayScale) || (l.kind == LimitKind::Bits), std::string(f.id));
    }
    // The setter writes what the getter reads.
    for (const InputLimit &l : allInputLimits()) {
        Parameters p = testutil::params();
        l.set(p, l.max);
        CHECK_MSG(l.value(p) == l.max, std::string(l.id));
    }
}

TEST_CASE(integerLimitsAcceptWholeValuesInRangeOnly)
{
    // Every integer limit of the table: its ends and whole values between pass; fractions, values
    // one past either end, NaN and infinities do not.
    int checked = 0;
    for (const InputLimit &l : allInputLimits()) {
        if (l.kind != LimitKind::Integer)
            continue;
        const std::string id(l.id);
        CHECK_MSG(withinLimit(l, l.min) && withinLimit(l, l.max), id);
        CHECK_MSG(!withinLimit(l, l.min - 1.0) && !withinLimit(l, l.max + 1.0), id);
        CHECK_MSG(!withinLimit(l, l.min + 0.5) && !withinLimit(l, l.min + 1e-9), id);
        CHECK_MSG(!withinLimit(l, std::nan("")) && !withinLimit(l, HUGE_VAL) && !withinLimit(l, -HUGE_VAL), id);
        if (l.max - l.min >= 2.0)
            CHECK_MSG(withinLimit(l, l.min + 1.0) && !withinLimit(l, l.max - 0.25), id);
        ++checked;
    }
    CHECK(checked >= 10);
    // Beyond 2^62 every double is whole: a limit that reached that far would accept them.
    InputLimit wide = *inputLimit(Field::Batch);
    wide.max = 1e300;
    CHECK(withinLimit(wide, 0x1p70) && withinLimit(wide, 0x1p62) && withinLimit(wide, 0x1p62 - 1024.0));
    CHECK(!withinLimit(wide, 0x1p40 + 0.5));
}

TEST_CASE(everyAcceptedCornerIsFinite)
{
    // The accepted range of every input (inputlimits.cpp), sampled at its ends: one field at a time
    // and random combinations of ends, for both phases, with and without derates. Every accepted
    // input must give finite, non-negative results for every scheme.
    const Parameters bases[] = {testutil::params(), testutil::params("llama-3.1-70b", "edge-template")};
    for (const Parameters &base : bases)
        for (Phase phase : {Phase::Decode, Phase::Prefill})
            for (const InputLimit &l : allInputLimits())
                for (double v : endsOf(l)) {
                    Parameters p = base;
                    p.workload.phase = phase;
                    p.applyDerates = true;
                    l.set(p, v);
                    repairRules(p);
                    checkFiniteEverywhere(p, std::string(l.id) + "=" + shortNumber(v) + (phase == Phase::Prefill ? " prefill" : " decode"));
                    p.scope = Scope::Model;
                    checkFiniteEverywhere(p, std::string(l.id) + "=" + shortNumber(v) + " model" + (phase == Phase::Prefill ? " prefill" : " decode"));
                }

    std::mt19937 rng(20261201);
    for (int sample = 0; sample < 400; ++sample) {
        Parameters p = bases[sample % 2];
        p.workload.phase = sample % 4 < 2 ? Phase::Decode : Phase::Prefill;
        p.applyDerates = sample % 3 != 0;
        // Every third corner costs the whole model (FFN, experts, vocabulary at their extremes too).
        p.scope = sample % 3 == 1 ? Scope::Model : Scope::Step;
        std::string where = std::string(sample % 3 == 1 ? "model " : "") + "corner " + std::to_string(sample) + ":";
        for (const InputLimit &l : allInputLimits()) {
            const std::vector<double> ends = endsOf(l);
            const double v = ends[std::size_t(rng() % ends.size())];
            l.set(p, v);
            where.append(" ").append(l.id).append("=").append(shortNumber(v));
        }
        repairRules(p);
        checkFiniteEverywhere(p, where);
    }
}

TEST_CASE(mlaSchemeOnModelWithoutLatent)
{
    Parameters p = testutil::params("llama-3.1-70b");
    CHECK(validate(p).empty());
    CHECK(!isApplicable(p, Scheme::MlaReuse));
    CHECK(isApplicable(p, Scheme::Gqa));
    CHECK_THROWS(ModelError, evaluate(p, Scheme::MlaRecompute));
    // A latent rank turns Llama into an MLA what-if.
    p.model.kvLoraRank = 512;
    CHECK_EQ(evaluate(p, Scheme::MlaReuse).kvCacheBytesPerToken, 512.0 * 80 * 2);
}

TEST_CASE(autoPicksFastestMlaScheme)
{
    for (Phase phase : {Phase::Decode, Phase::Prefill}) {
        Parameters p = testutil::params();
        p.workload.phase = phase;
        const StepResult a = evaluateAuto(p);
        CHECK(a.autoSelected);
        CHECK(isMlaScheme(a.scheme));
        for (Scheme s : kMlaSchemes)
            CHECK(a.timeS <= evaluate(p, s).timeS);
        CHECK(!a.notes.empty() && a.notes.front().find("auto picked") == 0);
    }
    // Prefill: recompute needs 3.4× fewer attention FLOPs, so auto picks it.
    Parameters p = testutil::params();
    p.workload.phase = Phase::Prefill;
    p.workload.kvLength = 8192;
    CHECK_EQ(evaluateAuto(p).scheme, Scheme::MlaRecompute);
}

TEST_CASE(derateOnlyWhenAsked)
{
    Parameters p = testutil::params();
    CHECK(p.hardware.bandwidthDerate < 1.0);
    const double ideal = evaluate(p, Scheme::Mha).timeS;
    p.applyDerates = true;
    const double derated = evaluate(p, Scheme::Mha).timeS;
    // MHA decode is DRAM-bound in every kernel, so time grows by at most 1/min(η_m, η_m,att), plus
    // t_0 for each of the step's kernel launches (one per operator and layer).
    CHECK(derated > ideal * 1.05);
    const double etaM = std::min(p.hardware.bandwidthDerate, p.hardware.attentionBandwidthDerate);
    const double launches = double(evaluate(p, Scheme::Mha).operators.size()) * p.model.numLayers;
    CHECK(derated <= ideal / etaM * (1 + 1e-9) + launches * p.hardware.kernelLatencyFloorS);
    // With every efficiency 1, no floor and 1-row tiles the realistic model differs from the ideal one
    // only in the overlap of each kernel's compute and DRAM time: √(t_c² + t_m²) instead of their max,
    // so each kernel, and the step, takes between 1 and √2 times its ideal time.
    for (Scheme s : kAllSchemes) {
        Parameters q = testutil::params();
        q.workload.batch = 16;
        const StepResult idealStep = evaluate(q, s);
        q.applyDerates = true;
        q.hardware.computeDerate = q.hardware.bandwidthDerate = 1.0;
        q.hardware.attentionComputeDerate = q.hardware.attentionBandwidthDerate = 1.0;
        q.hardware.kernelLatencyFloorS = 0.0;
        q.hardware.mmaTileRows = 1;
        const StepResult real = evaluate(q, s);
        CHECK_EQ(real.operators.size(), idealStep.operators.size());
        for (std::size_t i = 0; i < real.operators.size(); ++i) {
            const OperatorResult &o = idealStep.operators[i];
            CHECK_EQ(real.operators[i].computeTimeS, o.computeTimeS);
            CHECK_EQ(real.operators[i].dramTimeS, o.dramTimeS);
            CHECK(std::abs(real.operators[i].timeS - std::max(std::hypot(o.computeTimeS, o.dramTimeS), o.sramTimeS))
                  <= 1e-12 * o.timeS);
        }
        CHECK(real.timeS >= idealStep.timeS);
        CHECK(real.timeS <= std::sqrt(2.0) * idealStep.timeS * (1 + 1e-12));
    }
}

CHECK_MAIN()
