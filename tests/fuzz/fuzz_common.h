// SPDX-License-Identifier: MIT
// Shared by the libFuzzer targets: the property every fuzzer checks once it has valid parameters.
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/scheme.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mlastudio::fuzz {

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
    requireFinite(r.timeS, "timeS", r.scheme);
    requireFinite(r.energyJ, "energyJ", r.scheme);
    requireFinite(r.computeEnergyJ, "computeEnergyJ", r.scheme);
    requireFinite(r.dramEnergyJ, "dramEnergyJ", r.scheme);
    requireFinite(r.sramEnergyJ, "sramEnergyJ", r.scheme);
    requireFinite(r.staticEnergyJ, "staticEnergyJ", r.scheme);
    requireFinite(r.flops, "flops", r.scheme);
    requireFinite(r.dramBytes, "dramBytes", r.scheme);
    for (const core::OperatorResult &o : r.operators) {
        requireFinite(o.timeS, "operator timeS", r.scheme);
        requireFinite(o.energyJ, "operator energyJ", r.scheme);
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
