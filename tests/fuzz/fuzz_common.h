// SPDX-License-Identifier: MIT
// Shared by the libFuzzer targets: the property every fuzzer checks once it has valid parameters.
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/scheme.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mlastudio::fuzz {

/**
 * \return the name of the first number of a result that is not finite and non-negative, or nullptr
 * when all are: every time, energy, byte and FLOP count, rate and capacity figure, per operator too.
 */
inline const char *firstNonFinite(const core::StepResult &r)
{
    const auto bad = [](double v) { return !std::isfinite(v) || v < 0.0; };
    const struct {
        const char *name;
        double value;
    } values[] = {
        {"timeS", r.timeS}, {"energyJ", r.energyJ}, {"computeEnergyJ", r.computeEnergyJ},
        {"dramEnergyJ", r.dramEnergyJ}, {"sramEnergyJ", r.sramEnergyJ}, {"staticEnergyJ", r.staticEnergyJ},
        {"flops", r.flops}, {"dramBytes", r.dramBytes}, {"sramBytes", r.sramBytes},
        {"intensityFlopPerByte", r.intensityFlopPerByte}, {"tokensPerStep", r.tokensPerStep},
        {"tokensPerS", r.tokensPerS}, {"energyPerTokenJ", r.energyPerTokenJ},
        {"kvCacheBytesPerToken", r.kvCacheBytesPerToken}, {"kvCacheBytes", r.kvCacheBytes},
        {"weightBytes", r.weightBytes}, {"dramNeededBytes", r.dramNeededBytes}, {"maxBatch", double(r.maxBatch)},
        {"onChip.capacityBytes", r.onChip.capacityBytes}, {"onChip.workingSetBytes", r.onChip.workingSetBytes},
        {"onChip.residentCacheBytes", r.onChip.residentCacheBytes},
        {"onChip.residentCacheFraction", r.onChip.residentCacheFraction},
        {"onChip.attentionPasses", r.onChip.attentionPasses},
        {"onChip.upProjectionWeightPasses", r.onChip.upProjectionWeightPasses},
    };
    for (const auto &v : values)
        if (bad(v.value))
            return v.name;
    if (!(r.timeS > 0.0))
        return "timeS (zero)";
    for (const core::OperatorResult &o : r.operators) {
        for (double v : {o.cost.flops, o.cost.macs, o.cost.dramBytes, o.cost.sramBytes, o.computeTimeS, o.dramTimeS,
                         o.sramTimeS, o.timeS, o.computeEnergyJ, o.dramEnergyJ, o.sramEnergyJ, o.staticEnergyJ,
                         o.energyJ, o.intensityFlopPerByte})
            if (bad(v))
                return "an operator's cost, time or energy";
    }
    return nullptr;
}

inline void requireFinite(double v, const char *what, core::Scheme scheme)
{
    if (!std::isfinite(v) || v < 0.0) {
        std::fprintf(stderr, "fuzz: %s = %g for scheme %s is not a finite non-negative number\n", what, v,
                     std::string(core::schemeId(scheme)).c_str());
        std::abort();
    }
}

inline void requireFiniteResult(const core::StepResult &r)
{
    if (const char *what = firstNonFinite(r)) {
        std::fprintf(stderr, "fuzz: %s for scheme %s is not a finite non-negative number\n", what,
                     std::string(core::schemeId(r.scheme)).c_str());
        std::abort();
    }
}

/**
 * Valid parameters must evaluate for every applicable scheme (and for auto) without throwing, with
 * finite times and energies. Invalid ones must be rejected by validate(), never crash evaluate().
 */
inline void checkEvaluation(const core::Parameters &params)
{
    if (!core::validate(params).empty()) {
        try {
            (void)core::evaluate(params, core::Scheme::Mha);
        } catch (const core::ModelError &) {
            return;
        }
        std::fprintf(stderr, "fuzz: evaluate() accepted parameters that validate() rejects\n");
        std::abort();
    }
    bool anyMla = false;
    for (core::Scheme s : core::kAllSchemes) {
        if (!core::isApplicable(params, s))
            continue;
        anyMla = anyMla || core::isMlaScheme(s);
        requireFiniteResult(core::evaluate(params, s));
        const core::StepTotals t = core::evaluateTotals(params, s);
        requireFinite(t.timeS, "totals timeS", s);
        requireFinite(t.energyJ, "totals energyJ", s);
    }
    if (anyMla)
        requireFiniteResult(core::evaluateAuto(params));
}

} // namespace mlastudio::fuzz
