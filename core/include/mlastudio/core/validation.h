// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/calibrate.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/presets.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <string>
#include <vector>

namespace mlastudio::core {

inline constexpr const char *kValidateSchema = "mlastudio.validate/1";

/** A measured point with the model's predictions (docs/validation.md). */
struct ValidationRow {
    MeasuredPoint point;
    Parameters params;          //!< the point on its preset hardware (kernel scope; applyDerates as last predicted)
    double predictedOnS = 0.0;  //!< kernel time, derates on (the realistic model)
    double predictedOffS = 0.0; //!< kernel time, derates off (the ideal roofline)

    double ratioOn() const { return predictedOnS / point.measuredTimeS; }
    double ratioOff() const { return predictedOffS / point.measuredTimeS; }
};

/** \return the time of the attention kernel of one layer (the quantity measured points give). */
using KernelTimeFunction = std::function<double(const Parameters &, Scheme)>;

/** \return the kernel-scope time of evaluate() (core::Scope::Kernel): the model's KernelTimeFunction. */
double kernelTimeS(const Parameters &params, Scheme scheme);

/** Sets the predictions of a row from its parameters: once with derates on, once off. */
void predictRow(ValidationRow &row, const KernelTimeFunction &kernelTime);

/**
 * The summary `validate` ends with. Ratios are predicted / measured. The statistics leave out the
 * points their source marks anomalous (unless every point is); the *All MAPEs include them.
 */
struct ValidationSummary {
    std::size_t points = 0;
    std::size_t anomalous = 0;
    double mapeOnPct = 0.0;         //!< derates on
    double mapeOffPct = 0.0;        //!< derates off
    double mapeOnAllPct = 0.0;      //!< derates on, anomalous points included
    double mapeOffAllPct = 0.0;     //!< derates off, anomalous points included
    double medianRatioOn = 0.0;
    double medianRatioOff = 0.0;
    std::size_t worstIndex = 0;     //!< row with the largest |ln ratio| (derates on)
    /** Rows not marked anomalous whose derates-on prediction is off by more than 2x. */
    std::vector<std::size_t> offBy2x;
};

/** \return the summary of a non-empty set of rows. */
ValidationSummary summarizeValidation(const std::vector<ValidationRow> &rows);

/** One hardware preset's calibration: which rows, and the fit of core::calibrate(). */
struct HardwareFit {
    std::string hardwareId;
    std::vector<std::size_t> rows;  //!< indices into the validation rows
    HardwareCalibration calibration;
};

/** The hardware preset's attention-kernel efficiencies (the fit's start values). */
KernelEfficiencies kernelEfficienciesOf(const HardwareConfig &hardware);
/** Sets the hardware preset's attention-kernel efficiencies. */
void setKernelEfficiencies(HardwareConfig &hardware, const KernelEfficiencies &efficiencies);

/**
 * Fits each hardware's attention-kernel efficiencies to its rows not marked anomalous (derates on;
 * the projection derates are not used by the kernel scope), in order of the hardware's first row, with
 * the Gaussian prior \p priorWeight at the preset's values (calibrate()).
 */
std::vector<HardwareFit> calibrateRows(const std::vector<ValidationRow> &rows, const KernelTimeFunction &kernelTime,
                                       double priorWeight = kCalibrationPriorWeight);

/** In-sample and leave-one-source-out MAPE over every fitted row. */
struct FitSummary {
    double mapeBeforePct = 0.0;
    double mapeAfterPct = 0.0;
    double mapeHoldoutPct = 0.0;
};
FitSummary summarizeFits(const std::vector<ValidationRow> &rows, const std::vector<HardwareFit> &fits);

/** \return the validate document (schema kValidateSchema): points, summary and, if given, the fits. */
nlohmann::json validationToJson(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                                const std::vector<HardwareFit> *fits = nullptr);
/** \return one CSV row per point (with the fitted predictions when fits are given), the summary as `#` lines. */
std::string validationToCsv(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                            const std::vector<HardwareFit> *fits = nullptr);
/** \return the human-readable table, summary and, if given, the calibration. */
std::string validationToTable(const std::vector<ValidationRow> &rows, const ValidationSummary &summary,
                              const std::vector<HardwareFit> *fits = nullptr);

/**
 * A user hardware preset (schema mlastudio.hardware/1, loadable with --hardware FILE) equal to
 * \p base with the fitted attention-kernel efficiencies. Each fitted derate's source names the
 * points it was fitted to (e.g. "presets/measured/flashmla.csv:4-9,12"); its note gives the
 * value it replaces and the MAPE before and after.
 */
nlohmann::json calibratedHardwarePresetJson(const HardwarePreset &base, const HardwareFit &fit,
                                            const std::vector<ValidationRow> &rows);

} // namespace mlastudio::core
