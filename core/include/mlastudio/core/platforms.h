// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/scheme.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlastudio::core {

/** The kind of a hardware platform, from its preset's category (docs/model.md §11). */
enum class PlatformClass {
    Template,    //!< the edge and cloud accelerator templates (category "template")
    Gpu,         //!< GPUs (a category containing "gpu")
    Accelerator, //!< TPUs and other accelerators (a category containing "accelerator" or "tpu")
    Other,       //!< anything else (e.g. "edge" modules)
};

/** \return the class of a preset category. */
PlatformClass platformClassFromCategory(std::string_view category);
/** \return "template", "gpu", "accelerator" or "other". */
std::string_view platformClassId(PlatformClass platformClass);
/** \return "templates", "GPUs", "TPUs/accelerators" or "others". */
std::string_view platformClassName(PlatformClass platformClass);

/** How the platform comparison presents its values. */
enum class Normalization {
    Absolute,       //!< tokens/s and J/token
    RelativeToMha,  //!< speed-up t_MHA/t and energy E/E_MHA against MHA on the same platform
    FractionOfPeak, //!< utilisation: achieved FLOP/s over the platform's roofline at that intensity
};

/** \return "absolute", "mha" or "peak". */
std::string_view normalizationId(Normalization normalization);
/** \return the normalisation with this id, if any. */
std::optional<Normalization> normalizationFromId(std::string_view id);

/** \return the machine balance P_16 / BW_DRAM in FLOP/byte (the ideal ridge point). */
double machineBalanceFlopPerByte(const HardwareConfig &hardware);

/**
 * \return the roofline peak the step can reach at intensity \p intensityFlopPerByte:
 * min(P, I · BW) with P = η_c,att · P_b (b = the widest of the weight, KV and activation precisions)
 * and BW = η_m,att · BW_DRAM; η = 1 in the ideal model. I = 0 (no DRAM traffic) gives P.
 */
double rooflinePeakFlopsPerS(const Parameters &params, double intensityFlopPerByte);

/** \return the step's achieved useful FLOP/s over rooflinePeakFlopsPerS() at its intensity (0 when empty). */
double utilisation(const Parameters &params, const StepResult &result);

/** One scheme on one platform. */
struct PlatformCell {
    Scheme scheme = Scheme::Mha;
    bool valid = false;          //!< false: the scheme does not apply, or the inputs are invalid here
    StepResult result;           //!< evaluate(params with this hardware, scheme) when valid
    double utilisation = 0.0;    //!< utilisation() of the result
};

/** Every requested scheme on one platform. */
struct PlatformRow {
    HardwareConfig hardware;
    PlatformClass platformClass = PlatformClass::Other;
    double machineBalanceFlopPerByte = 0.0;
    std::vector<PlatformCell> cells;  //!< one per requested scheme, in the order requested
    std::string problem;              //!< why the inputs cannot be evaluated here (empty when they can)
    bool mhaValid = false;            //!< MHA evaluated here (the RelativeToMha reference)
    double mhaTokensPerS = 0.0;
    double mhaEnergyPerTokenJ = 0.0;
    /** \return the cell of a scheme, or nullptr when the scheme was not requested. */
    const PlatformCell *cell(Scheme scheme) const;
};

/**
 * Evaluates each scheme on each platform: \p base with its hardware replaced by the platform's.
 * Rows are ordered by increasing machine balance (ties keep the given order). MHA is evaluated too
 * when a normalisation needs it, but only requested schemes get a cell.
 */
std::vector<PlatformRow> comparePlatforms(const Parameters &base, const std::vector<HardwareConfig> &platforms,
                                          const std::vector<Scheme> &schemes);

/** \return the fastest valid scheme of a row (highest tokens/s), if any. */
std::optional<Scheme> fastestScheme(const PlatformRow &row);

/** \return the indices of \p platforms in order of increasing machine balance (stable). */
std::vector<std::size_t> orderByMachineBalance(const std::vector<HardwareConfig> &platforms);

/**
 * \return the throughput figure of a cell: tokens/s (Absolute), speed-up over MHA on the same
 * platform (RelativeToMha; NaN when MHA is invalid there) or utilisation (FractionOfPeak).
 */
double normalizedThroughput(const PlatformRow &row, const PlatformCell &cell, Normalization normalization);

/**
 * \return the energy figure of a cell: J/token (Absolute and FractionOfPeak, which has no energy
 * roof) or E/E_MHA on the same platform (RelativeToMha; the energy saving is 1 − this).
 */
double normalizedEnergy(const PlatformRow &row, const PlatformCell &cell, Normalization normalization);

/** The spread of one scheme's utilisation across platforms: a number for "more stable". */
struct Stability {
    Scheme scheme = Scheme::Mha;
    int platforms = 0;               //!< valid cells counted
    double minUtilisation = 0.0;
    double maxUtilisation = 0.0;
    double meanUtilisation = 0.0;
    double maxOverMin = 0.0;         //!< max / min (infinite when min is 0)
    double coefficientOfVariation = 0.0; //!< population standard deviation / mean
};

/** \return the stability of each requested scheme over the rows (schemes without a valid cell: platforms = 0). */
std::vector<Stability> stabilityOf(const std::vector<PlatformRow> &rows, const std::vector<Scheme> &schemes);

/** \return max/min and the coefficient of variation (population) of a list of utilisations. */
Stability stabilityOfValues(const std::vector<double> &utilisations);

/**
 * \return the evaluate document of a comparison: schema, the base parameters, the platform ids in
 * order, and one result per platform and valid scheme with "hardware", "platform_class",
 * "machine_balance_flop_per_byte" and "utilisation" added; with a normalisation also
 * "normalization" and per result "normalized_throughput" and "normalized_energy".
 */
nlohmann::json platformsToJson(const Parameters &base, const std::vector<PlatformRow> &rows,
                               std::optional<Normalization> normalization);

/** \return a CSV table, one row per platform and scheme (step totals). */
std::string platformsToCsv(const std::vector<PlatformRow> &rows, std::optional<Normalization> normalization);

/** \return a human-readable table, one row per platform and scheme, and the stability figures. */
std::string platformsToTable(const Parameters &base, const std::vector<PlatformRow> &rows,
                             std::optional<Normalization> normalization);

} // namespace mlastudio::core
