// SPDX-License-Identifier: MIT
// The whole model's parameters (docs/model.md §13) against published totals, and the expected
// number of distinct experts under uniform routing.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/costmodel.h"

#include <cmath>
#include <string>

using namespace mlastudio::core;

namespace {

double relativeError(double a, double b)
{
    return std::fabs(a - b) / b;
}

} // namespace

TEST_CASE(totalsMatchPublishedWithin3Percent)
{
    // Published totals: DeepSeek-V3 671B (without the 14B MTP module), V2 236B, V2-Lite 15.7B,
    // Llama-3.1-70B 70.6B, Kimi K2 1.04T; and the other shipped presets.
    const struct {
        const char *id;
        double published;
    } models[] = {{"deepseek-v3", 671e9}, {"deepseek-r1", 671e9}, {"deepseek-v2", 236e9}, {"deepseek-v2-lite", 15.7e9},
                  {"llama-3.1-70b", 70.6e9}, {"kimi-k2", 1.04e12}, {"llama-65b", 65.2e9}, {"deepseek-67b", 67e9}};
    for (const auto &m : models) {
        const ModelConfig c = testutil::params(m.id).model;
        CHECK_MSG(relativeError(modelParameterCount(c), m.published) < 0.03,
                  std::string(m.id) + ": " + std::to_string(modelParameterCount(c)));
        CHECK_EQ(c.totalParams, m.published);  // the preset's informational figure is the published one
    }
}

TEST_CASE(deepSeekV3TotalByHand)
{
    // Attention 187,105,280 per layer (§3) + norms 2·7168 + 1536 + 512; 3 dense layers of
    // 3·7168·18432; 58 MoE layers of (256 + 1)·3·7168·2048 + router 7168·256; embeddings and an
    // untied LM head 2·129280·7168; final norm 7168.
    const double attention = 187105280.0 + 2 * 7168 + 1536 + 512;
    const double dense = 3.0 * 7168 * 18432;
    const double moe = 257.0 * 3 * 7168 * 2048 + 7168.0 * 256;
    const double total = 2.0 * 129280 * 7168 + 7168 + 61 * attention + 3 * dense + 58 * moe;
    CHECK_EQ(modelParameterCount(testutil::params("deepseek-v3").model), total);
    // Tied embeddings count the matrix once; a dense model (no experts) has the dense FFN everywhere.
    ModelConfig tied = testutil::params("deepseek-v3").model;
    tied.tiedEmbeddings = true;
    CHECK_EQ(modelParameterCount(tied), total - 129280.0 * 7168);
    const ModelConfig llama = testutil::params("llama-3.1-70b").model;
    const double llamaLayer = 8192.0 * 8192 * 2 + 8192.0 * 8 * 256 + 2 * 8192 + 3.0 * 8192 * 28672;
    CHECK_EQ(modelParameterCount(llama), 2.0 * 128256 * 8192 + 8192 + 80 * llamaLayer);
}

TEST_CASE(expectedDistinctExperts)
{
    // One token touches exactly k experts.
    CHECK_EQ(expectedDistinctExperts(256, 8, 1), 8.0);
    // T = E: E·(1 − (1 − k/E)^E), about E·(1 − e^−k) for large E.
    const double atE = expectedDistinctExperts(256, 8, 256);
    CHECK_EQ(atE, 256 * (1 - std::pow(1 - 8.0 / 256, 256)));
    CHECK(std::fabs(atE - 256 * (1 - std::exp(-8.0))) < 0.1);
    // T → ∞: every expert.
    CHECK(std::fabs(expectedDistinctExperts(256, 8, 1e6) - 256.0) < 1e-9);
    // Monotone in T, never above E, 0 without experts or tokens.
    double last = 0.0;
    for (double t : {1.0, 2.0, 4.0, 16.0, 64.0, 1024.0}) {
        const double e = expectedDistinctExperts(160, 6, t);
        CHECK(e > last && e <= 160.0);
        last = e;
    }
    CHECK_EQ(expectedDistinctExperts(0, 8, 10), 0.0);
    CHECK_EQ(expectedDistinctExperts(64, 6, 0), 0.0);
    // k = E: every token touches all experts.
    CHECK_EQ(expectedDistinctExperts(8, 8, 3), 8.0);
}

CHECK_MAIN()
