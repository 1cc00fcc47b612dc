// SPDX-License-Identifier: MIT
// Serving metrics (docs/model.md §14): sums of evaluate() steps, no time formula of their own.
#include "mlastudio/core/serving.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <string>

namespace mlastudio::core {

namespace {

double stepTimeS(const Parameters &params, std::optional<Scheme> scheme)
{
    return scheme ? evaluate(params, *scheme).timeS : evaluateAuto(params).timeS;
}

struct Sum {
    double value = 0.0;
    double errorBound = 0.0;
    bool exact = true;
};

// Σ_{i=first..last} f(i). Up to maxExact terms are summed one by one; beyond, f is sampled at
// intervals + 1 integers x_0 = first < … < x_M = last and the sum taken as the trapezoid over the
// integers, Σ_j (x_{j+1} − x_j)(f_j + f_{j+1})/2 + (f_0 + f_M)/2, exact for f linear on each interval.
// Where f is monotone between samples every skipped term lies between its interval's end values, so
// the error is at most Σ_j (x_{j+1} − x_j − 1)·|f_{j+1} − f_j|/2.
Sum sumOver(long long first, long long last, long long maxExact, long long intervals,
            const std::function<double(long long)> &f)
{
    Sum s;
    if (last < first)
        return s;
    const long long count = last - first + 1;
    if (count <= maxExact) {
        for (long long i = first; i <= last; ++i)
            s.value += f(i);
        return s;
    }
    s.exact = false;
    long long x0 = first;
    double f0 = f(x0);
    s.value = f0 / 2;
    for (long long j = 1; j <= intervals; ++j) {
        // Evenly spaced integers; distinct because count > intervals.
        const long long x1 = first + (count - 1) * j / intervals;
        const double f1 = f(x1);
        s.value += double(x1 - x0) * (f0 + f1) / 2;
        s.errorBound += double(x1 - x0 - 1) * std::abs(f1 - f0) / 2;
        x0 = x1;
        f0 = f1;
    }
    s.value += f0 / 2;
    return s;
}

ValidationIssue issue(const std::string &field, const std::string &message, double value)
{
    return ValidationIssue{field, message, nullptr, true, value};
}

} // namespace

Parameters decodeStepParameters(const Parameters &params, long long kvLength, long long newTokens)
{
    Parameters p = params;
    p.workload.phase = Phase::Decode;
    p.workload.kvLength = kvLength;
    p.workload.queryLength = int(std::min<long long>(newTokens, INT_MAX));
    return p;
}

double timePerOutputTokenS(const Parameters &params, std::optional<Scheme> scheme, long long kvLength)
{
    return stepTimeS(decodeStepParameters(params, kvLength, 1), scheme);
}

double timeToFirstTokenS(const Parameters &params, std::optional<Scheme> scheme, long long promptTokens,
                         long long chunkTokens)
{
    if (chunkTokens <= 0 || chunkTokens >= promptTokens) {
        if (chunkTokens <= 0) {
            Parameters p = params;
            p.workload.phase = Phase::Prefill;
            p.workload.kvLength = promptTokens;
            return stepTimeS(p, scheme);
        }
        // One chunk holding the whole prompt: the decode-like step with S = L = P.
        return stepTimeS(decodeStepParameters(params, promptTokens, promptTokens), scheme);
    }
    const long long chunks = (promptTokens + chunkTokens - 1) / chunkTokens;
    // Full chunks k = 0 … chunks − 2 (S = C, L = (k + 1)·C), summed like the decode steps; then the last.
    const Sum full = sumOver(0, chunks - 2, kExactDecodeSteps, kDecodeSumIntervals, [&](long long k) {
        return stepTimeS(decodeStepParameters(params, (k + 1) * chunkTokens, chunkTokens), scheme);
    });
    const long long lastTokens = promptTokens - (chunks - 1) * chunkTokens;
    return full.value + stepTimeS(decodeStepParameters(params, promptTokens, lastTokens), scheme);
}

std::vector<ValidationIssue> validateServing(const Parameters &params, const ServingRequest &request)
{
    std::vector<ValidationIssue> issues;
    if (request.promptTokens < 1)
        issues.push_back(issue("prompt_len", "the prompt length must be at least 1 token, got "
                                                 + std::to_string(request.promptTokens), double(request.promptTokens)));
    if (request.outputTokens < 1)
        issues.push_back(issue("output_len", "the output length must be at least 1 token, got "
                                                 + std::to_string(request.outputTokens), double(request.outputTokens)));
    if (request.chunkTokens < 0 || request.chunkTokens > INT_MAX)
        issues.push_back(issue("chunk", "the prefill chunk must be 0 (none) or from 1 to " + std::to_string(INT_MAX)
                                            + " tokens, got " + std::to_string(request.chunkTokens),
                               double(request.chunkTokens)));
    if (params.scope == Scope::Kernel)
        issues.push_back(issue("scope", "serving metrics need the step or model scope (a kernel alone serves no tokens)", 0.0));
    if (!issues.empty())
        return issues;
    // The longest step must itself be valid (e.g. within the KV length limit).
    const long long longest = request.promptTokens + std::max<long long>(request.outputTokens - 1, 1);
    for (ValidationIssue &i : validate(decodeStepParameters(params, longest, 1)))
        issues.push_back(std::move(i));
    return issues;
}

ServingResult evaluateServing(const Parameters &params, std::optional<Scheme> scheme, const ServingRequest &request)
{
    if (auto issues = validateServing(params, request); !issues.empty())
        throw ModelError(std::move(issues));
    const long long P = request.promptTokens;
    const long long N = request.outputTokens;
    ServingResult r;
    r.ttftS = timeToFirstTokenS(params, scheme, P, request.chunkTokens);
    r.prefillSteps = request.chunkTokens > 0 ? (P + request.chunkTokens - 1) / request.chunkTokens : 1;
    const auto tpot = [&](long long L) { return timePerOutputTokenS(params, scheme, L); };
    r.tpotAtPromptS = tpot(P + 1);
    r.tpotAtEndS = N > 1 ? tpot(P + N - 1) : r.tpotAtPromptS;
    // Output token i + 1 (i = 1 … N − 1) is the decode step at L = P + i.
    const Sum decode = sumOver(P + 1, P + N - 1, kExactDecodeSteps, kDecodeSumIntervals, tpot);
    r.e2eS = r.ttftS + decode.value;
    r.e2eErrorBoundS = decode.errorBound;
    r.decodeSumExact = decode.exact;
    r.tpotS = N > 1 ? decode.value / double(N - 1) : r.tpotAtPromptS;
    r.tokensPerSPerUser = r.tpotS > 0.0 ? 1.0 / r.tpotS : 0.0;
    r.tokensPerSSystem = double(params.workload.batch) * r.tokensPerSPerUser;
    return r;
}

nlohmann::json servingToJson(const ServingRequest &request, const ServingResult &result)
{
    return nlohmann::json{
        {"prompt_len", request.promptTokens},
        {"output_len", request.outputTokens},
        {"chunk", request.chunkTokens},
        {"prefill_steps", result.prefillSteps},
        {"ttft_s", result.ttftS},
        {"tpot_s", result.tpotS},
        {"tpot_first_s", result.tpotAtPromptS},
        {"tpot_last_s", result.tpotAtEndS},
        {"e2e_s", result.e2eS},
        {"e2e_error_bound_s", result.e2eErrorBoundS},
        {"decode_sum_exact", result.decodeSumExact},
        {"tokens_per_s_per_user", result.tokensPerSPerUser},
        {"tokens_per_s_system", result.tokensPerSSystem},
    };
}

} // namespace mlastudio::core
