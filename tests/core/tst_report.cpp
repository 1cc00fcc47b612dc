// SPDX-License-Identifier: MIT
// Parameters JSON: round trip of every field, partial documents, defensive reading (unknown fields,
// wrong types and out-of-range numbers are named, integers are never wrapped).
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>
#include <string>

using namespace mlastudio::core;
using nlohmann::json;

namespace {

// Every serialised field of two parameter sets, compared one by one (names the first that differs).
void checkSameParameters(const Parameters &a, const Parameters &b)
{
    CHECK_EQ(a.model.id, b.model.id);
    CHECK_EQ(a.model.name, b.model.name);
    CHECK_EQ(a.model.attention, b.model.attention);
    CHECK_EQ(a.hardware.id, b.hardware.id);
    CHECK_EQ(a.hardware.name, b.hardware.name);
    CHECK_EQ(a.workload.phase, b.workload.phase);
    CHECK_EQ(a.applyDerates, b.applyDerates);
    CHECK_EQ(a.scope, b.scope);
    CHECK_EQ(a.model.tiedEmbeddings, b.model.tiedEmbeddings);
    for (const InputLimit &l : allInputLimits())
        CHECK_MSG(l.value(a) == l.value(b), std::string(l.jsonKey) + ": " + check::show(l.value(a)) + " vs "
                                                + check::show(l.value(b)));
}

// The error parametersFromJson() gives for a document, or "" if it accepts it.
std::string errorOf(const json &j)
{
    try {
        parametersFromJson(j, Parameters{});
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE(fixtureDiffersFromDefaultsEverywhere)
{
    // The premise of the round trips below: no field of the fixture has its default value.
    const Parameters d;
    const Parameters f = testutil::distinctParameters();
    CHECK(f.model.id != d.model.id && f.model.name != d.model.name && f.model.attention != d.model.attention);
    CHECK(f.hardware.id != d.hardware.id && f.hardware.name != d.hardware.name);
    CHECK(f.workload.phase != d.workload.phase && f.applyDerates != d.applyDerates);
    for (const InputLimit &l : allInputLimits()) {
        CHECK_MSG(l.value(f) != l.value(d), std::string(l.jsonKey));
        CHECK_MSG(withinLimit(l, l.value(f)), std::string(l.jsonKey));
    }
    CHECK(validate(f).empty());
}

TEST_CASE(roundTrip)
{
    // Written and read back over the defaults: every field must come from the file.
    const Parameters p = testutil::distinctParameters();
    const json j = parametersToJson(p);
    const Parameters back = parametersFromJson(j, Parameters{});
    checkSameParameters(back, p);
    CHECK(parametersToJson(back) == j);
    // And over a different base the other way round.
    const Parameters again = parametersFromJson(parametersToJson(Parameters{}), p);
    checkSameParameters(again, Parameters{});
}

TEST_CASE(partialSectionsKeepBase)
{
    // Two keys change, every other field keeps the (non-default) base.
    const Parameters base = testutil::distinctParameters();
    const json j = {{"workload", {{"batch", 7}}}, {"precision", {{"kv_bits", 16}}}};
    const Parameters p = parametersFromJson(j, base);
    CHECK_EQ(p.workload.batch, 7);
    CHECK_EQ(p.precision.kvBits, 16);
    Parameters expected = base;
    expected.workload.batch = 7;
    expected.precision.kvBits = 16;
    checkSameParameters(p, expected);

    // A missing section keeps the base; the sections present replace it field by field.
    for (const char *section : {"model", "hardware", "workload", "precision"}) {
        json doc = parametersToJson(testutil::distinctParameters());
        doc.erase(section);
        const Parameters read = parametersFromJson(doc, Parameters{});
        json want = parametersToJson(testutil::distinctParameters());
        want[section] = parametersToJson(Parameters{})[section];
        CHECK_MSG(parametersToJson(read) == want, section);
    }
}

TEST_CASE(unknownFieldsAreRejected)
{
    struct Row {
        const char *name;
        std::function<void(json &)> edit;
        const char *expected; // the start of the message: the field path and the problem
    };
    const Row rows[] = {
        {"top level", [](json &j) { j["colour"] = "red"; }, "colour: unknown field; expected one of schema, model, hardware"},
        {"model", [](json &j) { j["model"]["num_head"] = 8; }, "model.num_head: unknown field; expected one of id, name, attention"},
        {"hardware", [](json &j) { j["hardware"]["dram_bandwidth"] = 1e12; },
         "hardware.dram_bandwidth: unknown field; expected one of id, name, peak_flops_bf16"},
        {"workload", [](json &j) { j["workload"]["kv_lenght"] = 4096; }, "workload.kv_lenght: unknown field; expected one of phase, batch"},
        {"precision", [](json &j) { j["precision"]["bits"] = 8; }, "precision.bits: unknown field; expected one of weight_bits"},
        {"section not object", [](json &j) { j["workload"] = 3; }, "workload: expected an object"},
        {"wrong type", [](json &j) { j["workload"]["batch"] = "many"; }, "workload.batch: expected an integer, got \"many\""},
        {"fractional integer", [](json &j) { j["model"]["num_layers"] = 61.5; }, "model.num_layers: expected an integer, got 61.5"},
    };
    for (const Row &row : rows) {
        json j = parametersToJson(testutil::params());
        row.edit(j);
        const std::string message = errorOf(j);
        CHECK_MSG(message.rfind(row.expected, 0) == 0, std::string(row.name) + ": " + message);
    }
}

TEST_CASE(integersAreRangeCheckedBeforeConversion)
{
    // get<int>() would read 4294967297 as 1, 4294967312 as 16 and -4294967295 as 1: each is refused,
    // naming the key and the value as written.
    struct Row {
        const char *section;
        const char *key;
        json value;
        const char *expected;
    };
    const Row rows[] = {
        {"workload", "batch", 4294967297LL, "workload.batch: must be an integer from 1 to 1048576, got 4294967297"},
        {"precision", "weight_bits", 4294967312LL, "precision.weight_bits: must be 4, 8 or 16, got 4294967312"},
        {"model", "hidden_size", -4294967295LL, "model.hidden_size: must be an integer from 1 to 1048576, got -4294967295"},
        {"model", "num_heads", 18446744073709551615ULL, "model.num_heads: must be an integer from 1 to 1048576, got 18446744073709551615"},
        {"workload", "kv_length", 9223372036854775807LL, "workload.kv_length: must be an integer from 1 to 1073741824, got 9223372036854775807"},
        {"workload", "query_length", 0, "workload.query_length: must be an integer from 1 to 1073741824, got 0"},
        {"precision", "kv_bits", 6, "precision.kv_bits: must be 4, 8 or 16, got 6"},
        {"model", "kv_lora_rank", -1, "model.kv_lora_rank: must be an integer from 0 to 1048576, got -1"},
    };
    for (const Row &row : rows) {
        json j = parametersToJson(testutil::params());
        j[row.section][row.key] = row.value;
        CHECK_EQ(errorOf(j), std::string(row.expected));
    }
}

TEST_CASE(vanishingFactorsAreRefused)
{
    // A denormal derate used to divide times into infinity; every factor has a sane minimum.
    struct Row {
        const char *key;
        double value;
        const char *expected;
    };
    const Row rows[] = {
        {"compute_derate", 1e-320, "hardware.compute_derate: must be a fraction from 0.01 to 1, got 1e-320"},
        {"bandwidth_derate", 0.0, "hardware.bandwidth_derate: must be a fraction from 0.01 to 1, got 0"},
        {"peak_flops_bf16", 1e-300, "hardware.peak_flops_bf16: must be from 1e6 to 1e21 FLOP/s, got 1e-300 FLOP/s"},
        {"energy_per_mac_bf16_j", 5e-324, "hardware.energy_per_mac_bf16_j: must be 0 or from 1e-18 to 1e-6 J, got 5e-324 J"},
        {"static_power_w", 1e-310, "hardware.static_power_w: must be 0 or from 0.001 to 1e9 W, got 1e-310 W"},
        {"sram_capacity_bytes", 1e-300, "hardware.sram_capacity_bytes: must be 0 or from 1024 to 1099511627776 B, got 1e-300 B"},
        {"dram_bandwidth_bytes_per_s", 1e30, "hardware.dram_bandwidth_bytes_per_s: must be from 1000 to 1e18 B/s, got 1e30 B/s"},
    };
    for (const Row &row : rows) {
        json j = parametersToJson(testutil::params());
        j["hardware"][row.key] = row.value;
        CHECK_EQ(errorOf(j), std::string(row.expected));
    }
    // Zero stays accepted where it means "none" (no static power, no 8-bit energy of its own).
    json j = parametersToJson(testutil::params());
    j["hardware"]["static_power_w"] = 0.0;
    j["hardware"]["energy_per_mac_fp8_j"] = 0.0;
    CHECK_EQ(errorOf(j), std::string());
}

// The one tie rule: rates within 2 % tie, in either order; the leaders are the fastest and its ties.
TEST_CASE(tieRule)
{
    CHECK_EQ(kTieFraction, 0.02);
    CHECK(isTie(100.0, 101.9));
    CHECK(isTie(101.9, 100.0));
    CHECK(isTie(100.0, 100.03));  // the 0.03 % "win" the status bar used to announce
    CHECK(!isTie(100.0, 102.1));
    CHECK(!isTie(102.1, 100.0));
    CHECK(!isTie(0.0, 0.0));  // no rate is no tie
    StepResult mha, reuse, recompute;
    mha.scheme = Scheme::Mha;
    mha.tokensPerS = 90.0;
    reuse.scheme = Scheme::MlaReuse;
    reuse.tokensPerS = 99.0;
    recompute.scheme = Scheme::MlaRecompute;
    recompute.tokensPerS = 100.0;
    std::vector<const StepResult *> leaders = leadingResults({&mha, nullptr, &reuse, &recompute});
    CHECK_EQ(leaders.size(), std::size_t(2));
    CHECK(leaders[0] == &recompute && leaders[1] == &reuse);
    reuse.tokensPerS = 97.0;  // 3 % behind: a clear win
    leaders = leadingResults({&mha, &reuse, &recompute});
    CHECK_EQ(leaders.size(), std::size_t(1));
    CHECK(leaders[0] == &recompute);
    CHECK(leadingResults({nullptr}).empty());
}

// Below one token per second a milli prefix would read as mega ("25.2 mtok/s"): plain or scientific.
TEST_CASE(tokenRatesHaveNoMilliPrefix)
{
    CHECK_EQ(formatTokenRate(0.0252, "tok/s"), std::string("0.0252 tok/s"));
    CHECK_EQ(formatTokenRate(2.52e-5, "tok/s"), std::string("2.52e-05 tok/s"));
    CHECK_EQ(formatTokenRate(0.5, "tokens/s"), std::string("0.5 tokens/s"));
    CHECK_EQ(formatTokenRate(1.0, "tok/s"), std::string("1 tok/s"));
    CHECK_EQ(formatTokenRate(252e3, "tok/s"), std::string("252 ktok/s"));
    CHECK_EQ(formatSi(0.0252, "tok/s"), std::string("25.2 mtok/s"));  // what the table used to print
}

// The evaluate table marks a configuration that does not fit and says by how much; it names the
// winner or the tie by the rule above.
TEST_CASE(evaluationTableMarksDramOverflowAndLeader)
{
    Parameters p = testutil::params();
    p.workload.batch = 1;
    p.workload.kvLength = 131072;
    const StepResult mha = evaluate(p, Scheme::Mha);
    const StepResult reuse = evaluate(p, Scheme::MlaReuse);
    CHECK(!mha.fitsInDram);
    CHECK(reuse.fitsInDram);
    const std::string table = evaluationToTable(p, {mha, reuse});
    CHECK_MSG(table.find("\nmha *") != std::string::npos, table);
    CHECK_MSG(table.find("\nmla-reuse *") == std::string::npos, table);
    const std::string footnote = "* mha does not fit in DRAM: needs " + formatSi(mha.dramNeededBytes, "B") + ", has "
                                 + formatSi(p.hardware.dramCapacityBytes, "B") + "\n";
    CHECK_MSG(table.find(footnote) != std::string::npos, table);
    CHECK_EQ(formatSi(p.hardware.dramCapacityBytes, "B"), std::string("80 GB"));
    CHECK(mha.dramNeededBytes > 2.0 * p.hardware.dramCapacityBytes);
    CHECK_MSG(table.find("mla-reuse does not fit") == std::string::npos, table);
    // A clear win names the winner and its lead over the runner-up.
    const StepResult &fast = reuse.tokensPerS > mha.tokensPerS ? reuse : mha;
    const StepResult &slow = &fast == &reuse ? mha : reuse;
    CHECK(!isTie(fast.tokensPerS, slow.tokensPerS));
    char lead[64];
    std::snprintf(lead, sizeof lead, "%.3gx the runner-up", fast.tokensPerS / slow.tokensPerS);
    CHECK_MSG(table.find("fastest: " + std::string(schemeId(fast.scheme)) + ", " + lead) != std::string::npos, table);
    // Two results 1 % apart tie; `auto` repeating a scheme does not tie with it.
    StepResult a = reuse, b = reuse, autoReuse = reuse;
    b.scheme = Scheme::MlaRecompute;
    b.tokensPerS = reuse.tokensPerS * 0.99;
    autoReuse.autoSelected = true;
    CHECK_MSG(evaluationToTable(p, {a, b}).find("tie (within 2 %): mla-reuse, mla-recompute\n") != std::string::npos,
              evaluationToTable(p, {a, b}));
    const std::string single = evaluationToTable(p, {autoReuse, a});
    CHECK_MSG(single.find("tie") == std::string::npos && single.find("fastest:") == std::string::npos, single);
}

CHECK_MAIN()
