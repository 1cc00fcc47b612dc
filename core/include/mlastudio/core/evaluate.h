// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/costmodel.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/scheme.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mlastudio::core {

/** Which roof limits an operator or a step. */
enum class Bound {
    Compute,
    Dram,   //!< off-chip memory bandwidth
    Sram,   //!< on-chip memory bandwidth
    Latency,//!< the per-kernel latency floor (realistic model only)
    Interconnect, //!< device-to-device links (the all-reduce under tensor parallelism)
};

/** \return "compute", "dram", "sram", "latency" or "interconnect". */
std::string_view boundId(Bound bound);

/**
 * The roofs one class of kernel sees: the ideal roofline (derates off) or the achievable fractions,
 * and the latency floor, of the hardware preset (derates on). The one source of these numbers for
 * the evaluation, the sweeps, the scheme map and the views.
 */
struct EffectiveRoofs {
    double computeEfficiency = 1.0;   //!< η_c (GEMM) or η_c,att (attention); 1 in the ideal model
    double bandwidthEfficiency = 1.0; //!< η_m or η_m,att; 1 in the ideal model
    double dramBytesPerS = 0.0;       //!< η · BW_DRAM
    double sramBytesPerS = 0.0;       //!< BW_SRAM
    double latencyFloorS = 0.0;       //!< t_0, fixed time of each kernel launch added to its roofline; 0 in the ideal model
    int tileRows = 1;                 //!< MMA tile height applied to the attention's query rows
    bool partialOverlap = false;      //!< compute and DRAM overlap imperfectly (realistic model; see overlappedTimeS)
};

/**
 * How long a kernel's math and its DRAM stream take together (docs/model.md §6). The ideal roofline
 * overlaps them perfectly: max(t_c, t_m). A real kernel's pipeline stalls on whichever side runs late,
 * and near the ridge the stalls add up; the realistic model takes the 2-norm √(t_c² + t_m²), which
 * tends to max() when one term dominates (where the efficiencies are measured) and is √2 · t_c at the
 * ridge.
 */
inline double overlappedTimeS(double computeS, double dramS, bool partialOverlap)
{
    if (!partialOverlap)
        return computeS > dramS ? computeS : dramS;
    return std::sqrt(computeS * computeS + dramS * dramS);
}

/** \return the roofs of a kernel class under the parameters' derate setting. */
EffectiveRoofs effectiveRoofs(const Parameters &params, KernelClass kernelClass);

/** \return η_c · P_b: the achievable FLOP/s of a kernel class for \p bits operands. */
double effectivePeakFlops(const Parameters &params, KernelClass kernelClass, int bits);

/**
 * \return the operator's executed FLOPs expressed at the 16-bit peak with unit efficiency,
 * FLOPs · P_16/P_b / η_c; its compute time is this over P_16. A GEMM fused into the attention kernel
 * (fusedGemmFlops) keeps the GEMM efficiency and its own precision.
 */
double effectiveFlopsAt16(const OperatorCost &cost, const Parameters &params);

/** One operator of one step, summed over all layers. Units: FLOP, bytes, seconds, joules. */
struct OperatorResult {
    OperatorCost cost;
    double computeTimeS = 0.0;  //!< executed FLOPs / (η_c · peak)
    double dramTimeS = 0.0;     //!< DRAM bytes / (η_m · DRAM bandwidth)
    double sramTimeS = 0.0;     //!< on-chip bytes / on-chip bandwidth
    double latencyTimeS = 0.0;  //!< launches · t_0 (0 in the ideal model); all_reduce: launches · (N−1) · t_link
    double linkTimeS = 0.0;     //!< all_reduce: launches · 2(N−1)/N · bytes / BW_link
    double timeS = 0.0;         //!< latencyTimeS + max(computeTimeS, dramTimeS, sramTimeS); all_reduce: latency + link
    double computeEnergyJ = 0.0;
    double dramEnergyJ = 0.0;
    double sramEnergyJ = 0.0;
    double staticEnergyJ = 0.0;
    double energyJ = 0.0;       //!< sum of the four parts
    double intensityFlopPerByte = 0.0; //!< FLOPs / DRAM bytes (0 when no DRAM traffic)
    Bound bound = Bound::Compute;
};

/** \return time, bound and energy of one operator: the roofline max over its summed work. */
OperatorResult costOperator(const OperatorCost &cost, const Parameters &params);

/** What one device holds under parallelism (equal to the whole model's figures at TP = DP = 1). */
struct DeviceMemory {
    double kvCacheBytesPerToken = 0.0; //!< all layers: MHA/GQA shard with the heads, the MLA latent is replicated
    double weightBytes = 0.0;          //!< head-wise weights / TP, down-projections whole (Scope::Model: deviceWeightBytes())
    double dramNeededBytes = 0.0;      //!< weights + the cache of its ⌈B/DP⌉ requests
    long long maxBatch = 0;            //!< requests one device fits next to its weights
};

/** One step of all attention layers for one scheme (or one layer's attention kernel, Scope::Kernel). */
struct StepResult {
    Scheme scheme = Scheme::Mha;
    Scope scope = Scope::Step;
    bool autoSelected = false;      //!< chosen by the `auto` scheme
    Phase phase = Phase::Decode;
    std::vector<OperatorResult> operators;
    std::vector<PartCost> attentionParts;   //!< parts of the fused attention operator (qk, softmax, pv; kv_up when fused)
    OnChipPlan onChip;
    double flops = 0.0;
    double dramBytes = 0.0;
    double sramBytes = 0.0;
    double timeS = 0.0;
    double computeEnergyJ = 0.0;
    double dramEnergyJ = 0.0;
    double sramEnergyJ = 0.0;
    double staticEnergyJ = 0.0;
    double energyJ = 0.0;
    double intensityFlopPerByte = 0.0;
    Bound bound = Bound::Compute;   //!< the bound that accounts for most of the step's time
    double tokensPerStep = 0.0;     //!< B·S (decode) or B·L (prefill)
    double tokensPerS = 0.0;
    double energyPerTokenJ = 0.0;
    double kvCacheBytesPerToken = 0.0;  //!< whole model, all layers
    double kvCacheBytes = 0.0;          //!< at the current batch and length
    double weightBytes = 0.0;           //!< attention weights of all layers (Scope::Model: every weight of the model)
    double dramNeededBytes = 0.0;       //!< weights + KV cache
    long long maxBatch = 0;             //!< largest batch whose cache fits next to the weights (system: per device · DP)
    bool fitsInDram = true;             //!< one device's weights and cache fit in its DRAM
    int devices = 1;                    //!< TP · DP
    int idleDevices = 0;                //!< devices of data-parallel groups without a request (DP > B)
    double communicationTimeS = 0.0;    //!< time of the collectives: all_reduce, ffn_all_reduce, all_to_all (0 when nothing is exchanged)
    double attentionTimeS = 0.0;        //!< time of the attention operators (isAttentionOperator(), its all_reduce included)
    double attentionEnergyJ = 0.0;      //!< energy of those operators on one device
    double attentionTimeShare = 1.0;    //!< attentionTimeS / timeS (1 outside Scope::Model)
    double attentionEnergyShare = 1.0;  //!< attention's share of one device's operator energy (1 outside Scope::Model)
    double tokensPerSPerDevice = 0.0;   //!< tokensPerS / devices
    DeviceMemory perDevice;
    std::vector<std::string> notes;     //!< what stays on chip, what spills, capacity warnings
};

/**
 * The one tie rule of every front end (scheme map, status bar, explain view, CLI table): schemes
 * whose rates differ by less than this fraction are a tie, not a win.
 */
inline constexpr double kTieFraction = 0.02;

/** \return true when positive rates (or times) \p a and \p b differ by less than kTieFraction: max < (1 + kTieFraction) · min. */
bool isTie(double a, double b);

/**
 * \return the results that lead: the fastest by tokens/s and every result tied with it (isTie), fastest
 * first; empty when \p results is. Null entries are skipped.
 */
std::vector<const StepResult *> leadingResults(const std::vector<const StepResult *> &results);

/** Compact totals for sweeps (no allocation). */
struct StepTotals {
    double timeS = 0.0;
    double energyJ = 0.0;
    double flops = 0.0;
    double dramBytes = 0.0;
    double tokensPerStep = 0.0;
};

struct InputLimit;

/**
 * A problem with the inputs: which parameter and what is wrong. Front ends name the parameter and
 * its value in the user's terms with formatIssue() (inputlimits.h).
 */
struct ValidationIssue {
    std::string field;                  //!< the parameter's id (InputLimit::id), e.g. "dram.bandwidth"
    std::string message;                //!< what is wrong, values in SI units
    const InputLimit *limit = nullptr;  //!< the parameter concerned (nullptr: none)
    bool outOfRange = false;            //!< value lies outside the limit's range
    double value = 0.0;                 //!< the value given, SI units
};

/** Thrown by evaluate() for inputs that cannot be evaluated. */
class ModelError : public std::runtime_error {
public:
    explicit ModelError(std::vector<ValidationIssue> issues);
    const std::vector<ValidationIssue> &issues() const { return m_issues; }

private:
    std::vector<ValidationIssue> m_issues;
};

/** \return every problem with the parameters (empty when they can be evaluated). */
std::vector<ValidationIssue> validate(const Parameters &params);

/** \return the problems that make one scheme inapplicable (e.g. an MLA scheme with d_c = 0). */
std::vector<ValidationIssue> validateScheme(const Parameters &params, Scheme scheme);

/** \return true if the scheme can be evaluated for this model. */
bool isApplicable(const Parameters &params, Scheme scheme);

/** Evaluates one scheme. \throws ModelError when the inputs are invalid. */
StepResult evaluate(const Parameters &params, Scheme scheme);

/** Evaluates every applicable MLA scheme and returns the fastest, with autoSelected set. */
StepResult evaluateAuto(const Parameters &params);

/** Roofline time and energy of precomputed step costs on the given hardware (fast path). */
StepTotals totalsOf(const StepCosts &costs, const Parameters &params);

/** Fast evaluation of one scheme for sweeps; inputs must already be valid. */
StepTotals evaluateTotals(const Parameters &params, Scheme scheme);

} // namespace mlastudio::core
