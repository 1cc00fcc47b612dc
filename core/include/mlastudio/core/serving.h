// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/scheme.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace mlastudio::core {

/**
 * A request pattern for the serving metrics (docs/model.md §14): B requests (Workload::batch) served
 * in lockstep, each with a prompt of P tokens and N output tokens.
 */
struct ServingRequest {
    long long promptTokens = 4096;  //!< P ≥ 1
    long long outputTokens = 256;   //!< N ≥ 1 (the first comes from the prefill)
    long long chunkTokens = 0;      //!< C: chunked prefill with C tokens per step; 0: one prefill step
};

/** Serving figures of one scheme. Units: seconds and tokens per second. */
struct ServingResult {
    double ttftS = 0.0;             //!< time to first token: the prefill (its chunks summed)
    double tpotS = 0.0;             //!< mean time per output token after the first: (E2E − TTFT)/(N − 1); N = 1: TPOT(P + 1)
    double tpotAtPromptS = 0.0;     //!< TPOT(P + 1): the first decode step
    double tpotAtEndS = 0.0;        //!< TPOT(P + N − 1): the last decode step (N = 1: TPOT(P + 1))
    double e2eS = 0.0;              //!< TTFT + Σ_{i=1..N−1} TPOT(P + i)
    double e2eErrorBoundS = 0.0;    //!< bound on the error of the decode sum (0 when summed exactly)
    bool decodeSumExact = true;     //!< every decode step evaluated (N − 1 ≤ kExactDecodeSteps)
    long long prefillSteps = 1;     //!< ⌈P/C⌉ chunked, else 1
    double tokensPerSPerUser = 0.0; //!< 1 / tpotS: one request's decode rate
    double tokensPerSSystem = 0.0;  //!< B · tokensPerSPerUser (B counts the requests of all DP groups)
};

/** Decode sums with at most this many steps are evaluated step by step; longer ones are integrated. */
inline constexpr long long kExactDecodeSteps = 2048;

/** Sample intervals of the integrated decode sum. */
inline constexpr long long kDecodeSumIntervals = 1024;

/**
 * The parameters of one decode step at KV length \p kvLength with \p newTokens new tokens per request
 * (S), from \p params' model, hardware, batch, precision and parallelism.
 */
Parameters decodeStepParameters(const Parameters &params, long long kvLength, long long newTokens = 1);

/** \return TPOT(L): the time of one decode step (S = 1) at KV length L. \p scheme nullopt: auto. */
double timePerOutputTokenS(const Parameters &params, std::optional<Scheme> scheme, long long kvLength);

/**
 * \return TTFT for a prompt of P tokens: the prefill step at L = P, or with C > 0 the sum over the
 * ⌈P/C⌉ chunks k = 0, 1, …: a decode-like step with S_k = min(C, P − k·C) new tokens and
 * L_k = k·C + S_k. \p scheme nullopt: auto (the fastest MLA scheme at each step).
 */
double timeToFirstTokenS(const Parameters &params, std::optional<Scheme> scheme, long long promptTokens,
                         long long chunkTokens = 0);

/** Every problem with a serving request (fields "prompt_len", "output_len", "chunk"). */
std::vector<ValidationIssue> validateServing(const Parameters &params, const ServingRequest &request);

/**
 * TTFT, TPOT, end-to-end latency and throughput of \p request (docs/model.md §14). Every step is a
 * core::evaluate() (or evaluateAuto() when \p scheme is nullopt).
 * \throws ModelError when the parameters or the request are invalid.
 */
ServingResult evaluateServing(const Parameters &params, std::optional<Scheme> scheme, const ServingRequest &request);

/** \return {ttft_s, tpot_s, e2e_s, tokens_per_s_per_user, tokens_per_s_system, …}. */
nlohmann::json servingToJson(const ServingRequest &request, const ServingResult &result);

} // namespace mlastudio::core
