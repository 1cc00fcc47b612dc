// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace mlastudio::core {

/** The attention-kernel numbers of a hardware preset that calibration fits (docs/validation.md). */
struct KernelEfficiencies {
    double computeDerate = 1.0;     //!< HardwareConfig::attentionComputeDerate, in (0.01, 1]
    double bandwidthDerate = 1.0;   //!< HardwareConfig::attentionBandwidthDerate, in (0.01, 1]
    double latencyFloorS = 0.0;     //!< HardwareConfig::kernelLatencyFloorS, >= 0

    friend bool operator==(const KernelEfficiencies &, const KernelEfficiencies &) = default;
};

/** Bounds of the fit. */
inline constexpr double kMinFittedDerate = 0.01;
inline constexpr double kMaxFittedDerate = 1.0;

/** σ_d: the error of one predicted kernel time, in ln units: the RMS log residual of the shipped
 *  measured set with the shipped presets (0.164, docs/validation.md). */
inline constexpr double kModelErrorLn = 0.16;
/** σ_p: how well a preset's efficiency is known before its points are seen, in ln units: the spread
 *  of published efficiencies of different kernels on one GPU (docs/validation.md). */
inline constexpr double kPresetSpreadLn = 0.25;
/** Weight of the Gaussian prior at the preset's values in calibrate(): (σ_d / σ_p)². */
inline constexpr double kCalibrationPriorWeight = (kModelErrorLn * kModelErrorLn) / (kPresetSpreadLn * kPresetSpreadLn);
/** A pull so weak that it only keeps numbers the points leave free at their start: the fit is
 *  then least squares (maximum likelihood). */
inline constexpr double kWeakPriorWeight = 1e-3;

/** \return the predicted time in seconds of point \p index with the given efficiencies (> 0). */
using KernelTimePredictor = std::function<double(std::size_t index, const KernelEfficiencies &)>;

/** Result of fitKernelEfficiencies(). */
struct EfficiencyFit {
    KernelEfficiencies start;       //!< where the fit started (the preset's values)
    KernelEfficiencies fitted;
    double costStart = 0.0;         //!< sum over points of (ln predicted − ln measured)² at start
    double costFitted = 0.0;        //!< the same at fitted
    /** False for a number no point constrains (the cost is flat over its whole range): it keeps
     *  its start value. */
    bool computeIdentified = false;
    bool bandwidthIdentified = false;
    bool floorIdentified = false;
    int evaluations = 0;            //!< cost evaluations used
};

/** Sum of squared log residuals of every point. */
double logSquaredError(const std::vector<double> &measuredS, const KernelTimePredictor &predict,
                       const KernelEfficiencies &efficiencies);

/**
 * Least squares in log time: minimises Σ (ln t_pred,i − ln t_meas,i)² over the compute derate and
 * the bandwidth derate (both in [0.01, 1]) and the latency floor (0 to the shortest measured time:
 * no kernel is faster than the floor), plus \p priorWeight times the squared distance from \p start
 * in the fit's coordinates (ln η_c, ln η_b, ln(1 + floor/unit)): a Gaussian prior at the start
 * values. The weak default only keeps numbers the points leave free at their start;
 * kCalibrationPriorWeight makes it the MAP estimate of docs/validation.md.
 * A coarse grid over all three, then Nelder–Mead on (ln η_c, ln η_b, ln(1 + floor/unit)) from the
 * best grid points, restarted until it stops improving. The fit never fits the points worse than
 * \p start.
 */
EfficiencyFit fitKernelEfficiencies(const std::vector<double> &measuredS, const KernelTimePredictor &predict,
                                    const KernelEfficiencies &start, double priorWeight = kWeakPriorWeight);

/** \return the mean absolute percentage error, 100 · mean |p − m| / m (0 for no points). */
double meanAbsolutePercentageError(const std::vector<double> &predicted, const std::vector<double> &measured);

/** \return the median (mean of the middle two for an even count; 0 for none). */
double median(std::vector<double> values);

/** Calibration of one hardware preset: the fit to all its points and the leave-one-source-out check. */
struct SourceHoldout {
    std::string source;
    std::vector<std::size_t> points;    //!< indices into the measured list of the calibration
    bool refitted = false;              //!< false when no other source was left to fit to (the start values predict)
    KernelEfficiencies fitted;          //!< fitted without this source
};

struct HardwareCalibration {
    EfficiencyFit fit;                      //!< in-sample: all points
    std::vector<double> predictedStartS;    //!< per point, with the start (preset) values
    std::vector<double> predictedFittedS;   //!< per point, with the in-sample fit
    std::vector<double> predictedHoldoutS;  //!< per point, fitted without the point's source
    std::vector<SourceHoldout> holdouts;    //!< one per source, in order of first appearance
    double mapeStartPct = 0.0;
    double mapeFittedPct = 0.0;
    double mapeHoldoutPct = 0.0;
};

/**
 * Fits the efficiencies to every point, then once per source without that source's points and
 * predicts them with that fit (leave-one-source-out). \p sources gives each point's source. Every
 * fit uses the prior \p priorWeight at \p start (fitKernelEfficiencies()).
 */
HardwareCalibration calibrate(const std::vector<double> &measuredS, const std::vector<std::string> &sources,
                              const KernelTimePredictor &predict, const KernelEfficiencies &start,
                              double priorWeight = kCalibrationPriorWeight);

} // namespace mlastudio::core
