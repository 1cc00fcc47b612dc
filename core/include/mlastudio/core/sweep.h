// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"

#include <Eigen/Core>

#include <optional>
#include <string_view>
#include <vector>

namespace mlastudio::core {

/**
 * A parameter that a sweep varies: any numeric field. The field table (fields.h) is the one list of
 * axes, for the GUI's throughput and energy views as for `mla-studio sweep --axis`.
 */
using SweepAxis = Field;

/**
 * \return the axis id saved in scenario files: the field's command-line name ("kv-lora-rank"), except
 * the six axes of earlier versions, which keep their ids ("kv-length", "batch", "bandwidth", "compute",
 * "sram", "query-length") so that older files and versions still read them.
 */
std::string_view sweepAxisId(SweepAxis axis);
/** \return the axis with this id: a sweepAxisId(), a field's command-line name or its scenario id. */
std::optional<SweepAxis> sweepAxisFromId(std::string_view id);

/** \return \p count points from \p min to \p max evenly spaced in log10 (count >= 2, 0 < min < max). */
std::vector<double> logSpace(double min, double max, int count);

/** The span of a GUI sweep over one field, SI units. */
struct SweepRange {
    double min = 0.0;
    double max = 0.0;
    bool logScale = false;  //!< log10 spacing (and a log axis)
};

/** \return the field's slider range, except on-chip memory, swept logarithmically from 1 MiB to 1 GiB. */
SweepRange sweepRange(SweepAxis axis);

/**
 * \return the SI values of a GUI sweep over a field: up to \p maxPoints values evenly (or log-) spaced
 * over sweepRange(), each snapped as its slider snaps (snapDisplayValue: multiples of 64 for ranks and
 * dims, whole numbers for counts), repeats dropped; precisions take 4, 8 and 16 bits. \p maxPoints >= 2.
 */
std::vector<double> sweepAxisValues(SweepAxis axis, int maxPoints);

/** \return a copy of the parameters with the axis set to \p value (integers rounded). */
Parameters withAxisValue(const Parameters &params, SweepAxis axis, double value);

/** \return the axis value of the parameters. */
double axisValue(const Parameters &params, SweepAxis axis);

/** Per-point totals of one scheme along one axis. */
struct SweepSeries {
    Scheme scheme = Scheme::Mha;
    std::vector<double> x;
    std::vector<double> tokensPerS;
    std::vector<double> energyPerTokenJ;
    std::vector<double> timeS;
    std::vector<double> intensityFlopPerByte;
    std::vector<bool> valid;    //!< false where the point's inputs are invalid (e.g. S > L)
    std::vector<bool> fitsInDram; //!< false where weights + KV cache exceed the DRAM capacity
};

/** Evaluates a scheme at every value of an axis (fast path: totals only). */
SweepSeries sweep(const Parameters &params, Scheme scheme, SweepAxis axis, const std::vector<double> &values);

/**
 * \return the display values of a one-process field sweep (`mla-studio sweep`): \p points values from
 * \p from to \p to (display units of the field), evenly spaced, or evenly in log10 when \p logSpacing.
 * Integer fields are rounded to whole values and repeated values dropped, so the list may be shorter
 * than \p points. \throws std::invalid_argument if points < 1, from/to are not finite, a log sweep
 * has from or to <= 0, or points == 1 with from != to.
 */
std::vector<double> fieldSweepValues(const FieldInfo &field, double from, double to, int points, bool logSpacing);

/** One point of a field sweep: the axis value (display units) and one full evaluation per scheme. */
struct FieldSweepPoint {
    double displayValue = 0.0;
    std::vector<StepResult> results;        //!< in the order of the schemes asked for
    std::vector<ValidationIssue> issues;    //!< why the point could not be evaluated (results empty)
};

/**
 * Evaluates \p schemes (and the `auto` choice when \p addAuto) at every value of a field with
 * evaluate()/evaluateAuto(), exactly as `mla-studio evaluate` does with that field's option: each
 * point starts from \p params and sets the field to displayValue · displayScale. Schemes that do not
 * apply to the model at a point are skipped there when \p skipInapplicable, else reported as issues.
 */
std::vector<FieldSweepPoint> fieldSweep(const Parameters &params, Field field, const std::vector<double> &displayValues,
                                        const std::vector<Scheme> &schemes, bool addAuto, bool skipInapplicable);

/**
 * Which scheme is fastest over a DRAM-bandwidth × compute grid. Operator costs do not depend on
 * bandwidth or compute, so each scheme is planned once and the roofline is taken over the grid
 * with Eigen arrays.
 */
struct SchemeMap {
    std::vector<Scheme> schemes;
    Eigen::ArrayXd bandwidthBytesPerS;     //!< rows
    Eigen::ArrayXd computeFlopsPerS;       //!< columns
    Eigen::ArrayXXi bestIndex;             //!< index into schemes of the fastest scheme
    Eigen::ArrayXXd speedupOverRunnerUp;   //!< time of the second-fastest / time of the fastest (≥ 1)
    std::vector<Eigen::ArrayXXd> timeS;    //!< step time of each scheme over the grid
};

/**
 * What the scheme map's grid reads of one operator. None of it depends on the DRAM bandwidth or the
 * 16-bit peak (the grid's axes) except through the ratios of the narrower peaks to the 16-bit one.
 * At a grid cell (BW, P): time = fixedTimeS + max(overlappedTimeS(flopsAt16 / P,
 * dramBytes / (bandwidthEfficiency · BW), partialOverlap), sramTimeS), as evaluate() times it.
 */
struct SchemeMapOperator {
    double flopsAt16 = 0.0;           //!< effectiveFlopsAt16(): the compute time is this over the 16-bit peak
    double dramBytes = 0.0;
    double bandwidthEfficiency = 1.0; //!< η_m of the operator's kernel class (1 in the ideal model)
    double sramTimeS = 0.0;           //!< on-chip bytes / on-chip bandwidth
    double fixedTimeS = 0.0;          //!< launches · t_0; a collective's whole time (link and latency), with no roofline terms
    bool partialOverlap = false;      //!< the realistic model's 2-norm overlap

    bool operator==(const SchemeMapOperator &) const = default;
};

/** The grid's inputs for one scheme that applies to the model. */
struct SchemeMapScheme {
    Scheme scheme = Scheme::Mha;
    std::vector<SchemeMapOperator> operators;

    bool operator==(const SchemeMapScheme &) const = default;
};

/**
 * Everything schemeMap() reads of the parameters, for each applicable scheme in the order asked for.
 * Parameters that differ only in fields the map does not depend on (DRAM bandwidth and peak compute,
 * its axes, energies, DRAM capacity) give equal inputs, and equal inputs give an equal map: a view can
 * keep its last map while these inputs compare equal.
 */
struct SchemeMapInputs {
    std::vector<SchemeMapScheme> schemes;

    bool operator==(const SchemeMapInputs &) const = default;
};

/** \return the scheme map's inputs: each applicable scheme planned once; the others are skipped. */
SchemeMapInputs schemeMapInputs(const Parameters &params, const std::vector<Scheme> &schemes);

/** Builds the scheme map over the grid from its inputs. */
SchemeMap schemeMap(const SchemeMapInputs &inputs, const Eigen::ArrayXd &bandwidthBytesPerS,
                    const Eigen::ArrayXd &computeFlopsPerS);

/** Builds the scheme map: schemeMap(schemeMapInputs(params, schemes), ...). */
SchemeMap schemeMap(const Parameters &params, const std::vector<Scheme> &schemes,
                    const Eigen::ArrayXd &bandwidthBytesPerS, const Eigen::ArrayXd &computeFlopsPerS);

} // namespace mlastudio::core
