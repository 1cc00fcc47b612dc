// SPDX-License-Identifier: MIT
#include "mlastudio/core/presets.h"

#include "mlastudio/core/inputlimits.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace mlastudio::core {

using nlohmann::json;

PresetError::PresetError(std::string file, std::string field, std::string expected)
    : std::runtime_error(file + ": " + (field.empty() ? std::string() : field + ": ") + expected)
    , m_file(std::move(file)), m_field(std::move(field)), m_expected(std::move(expected))
{
}

double unitFactor(const std::string &unit, const std::string &kind)
{
    static const std::map<std::string, std::map<std::string, double>> table = {
        {"compute", {{"FLOP/s", 1.0}, {"GFLOP/s", 1e9}, {"TFLOP/s", 1e12}, {"PFLOP/s", 1e15},
                     {"OP/s", 1.0}, {"GOP/s", 1e9}, {"TOP/s", 1e12}, {"POP/s", 1e15}}},
        {"bandwidth", {{"B/s", 1.0}, {"GB/s", 1e9}, {"TB/s", 1e12}, {"GiB/s", 1073741824.0},
                       {"TiB/s", 1099511627776.0}}},
        {"capacity", {{"B", 1.0}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"KiB", 1024.0},
                      {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}}},
        {"mac_energy", {{"pJ", 1e-12}, {"fJ", 1e-15}, {"nJ", 1e-9}}},
        {"byte_energy", {{"pJ/bit", 8e-12}, {"pJ/B", 1e-12}}},
        {"power", {{"W", 1.0}}},
        {"fraction", {{"fraction", 1.0}}},
        {"time", {{"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}}},
        {"rows", {{"rows", 1.0}}},
    };
    const auto k = table.find(kind);
    if (k == table.end())
        return 0.0;
    const auto u = k->second.find(unit);
    return u == k->second.end() ? 0.0 : u->second;
}

namespace {

std::string unitsOf(const std::string &kind)
{
    static const std::map<std::string, std::string> names = {
        {"compute", "FLOP/s, GFLOP/s, TFLOP/s, PFLOP/s (or OP/s, GOP/s, TOP/s, POP/s)"},
        {"bandwidth", "B/s, GB/s, TB/s, GiB/s, TiB/s"},
        {"capacity", "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB"},
        {"mac_energy", "pJ, fJ, nJ"},
        {"byte_energy", "pJ/bit, pJ/B"},
        {"power", "W"},
        {"fraction", "fraction"},
        {"time", "s, ms, us, ns"},
        {"rows", "rows"},
    };
    return names.at(kind);
}

// The integer a JSON value holds exactly, or nothing (not an integer, or beyond 64 bits).
std::optional<long long> exactInteger(const json &v)
{
    if (v.is_number_unsigned())
        return v.get<unsigned long long>() <= (unsigned long long)std::numeric_limits<long long>::max()
                   ? std::optional<long long>(v.get<long long>())
                   : std::nullopt;
    if (v.is_number_integer())
        return v.get<long long>();
    return std::nullopt;
}

std::string join(const std::string &path, const std::string &key)
{
    return path.empty() ? key : path + "." + key;
}

class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string &field, const std::string &expected) const
    {
        throw PresetError(m_file, field, expected);
    }

    json parse(const std::string &text) const
    {
        if (text.size() > kMaxPresetBytes)
            fail("", "file is larger than the " + std::to_string(kMaxPresetBytes) + "-byte limit for presets");
        try {
            json j = json::parse(text);
            if (!j.is_object())
                fail("", "expected a JSON object at the top level");
            return j;
        } catch (const json::exception &e) { // parse_error, and out_of_range for numbers like 1e400
            fail("", std::string("not valid JSON (") + e.what() + ")");
        }
    }

    void allowOnly(const json &obj, const std::string &path, const std::set<std::string> &keys) const
    {
        for (auto it = obj.begin(); it != obj.end(); ++it)
            if (!keys.count(it.key())) {
                std::string list;
                for (const std::string &k : keys)
                    list += (list.empty() ? "" : ", ") + k;
                fail(join(path, it.key()), "unknown field (expected one of: " + list + ")");
            }
    }

    const json &object(const json &obj, const std::string &path, const std::string &key) const
    {
        const std::string field = join(path, key);
        if (!obj.contains(key))
            fail(field, "missing; expected an object");
        if (!obj.at(key).is_object())
            fail(field, "expected an object");
        return obj.at(key);
    }

    std::string string(const json &obj, const std::string &path, const std::string &key, bool required = true) const
    {
        const std::string field = join(path, key);
        if (!obj.contains(key)) {
            if (required)
                fail(field, "missing; expected a string");
            return {};
        }
        if (!obj.at(key).is_string())
            fail(field, "expected a string");
        const std::string s = obj.at(key).get<std::string>();
        if (required && s.empty())
            fail(field, "expected a non-empty string");
        return s;
    }

    int integer(const json &obj, const std::string &path, const std::string &key, int min, bool required = true,
                int fallback = 0) const
    {
        const std::string field = join(path, key);
        if (!obj.contains(key)) {
            if (required)
                fail(field, "missing; expected an integer >= " + std::to_string(min));
            return fallback;
        }
        // Range-checked before any conversion, so 4294967297 is reported instead of read as 1.
        const json &v = obj.at(key);
        const InputLimit *limit = inputLimit(field);
        const std::optional<long long> n = exactInteger(v);
        if (limit && (!n || !withinLimit(*limit, double(*n))))
            fail(field, limitMessage(*limit, 0.0, 1.0, "", v.dump()));
        if (!n || *n < min || *n > std::numeric_limits<int>::max())
            fail(field, "expected an integer >= " + std::to_string(min) + ", got " + v.dump());
        return int(*n);
    }

    double number(const json &obj, const std::string &path, const std::string &key, double min, bool required) const
    {
        const std::string field = join(path, key);
        if (!obj.contains(key)) {
            if (required)
                fail(field, "missing; expected a number");
            return 0.0;
        }
        const json &v = obj.at(key);
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < min)
            fail(field, "expected a finite number >= " + std::to_string(min));
        return v.get<double>();
    }

    // A quantity object {value, unit, source[, dense][, note]}; returns its SI value.
    double quantity(const json &parent, const std::string &path, const std::string &key, const std::string &kind,
                    bool required, std::vector<SourcedQuantity> &log, bool zeroAllowed = false) const
    {
        const std::string field = join(path, key);
        if (!parent.contains(key)) {
            if (required)
                fail(field, "missing; expected a quantity {\"value\", \"unit\", \"source\"}");
            return 0.0;
        }
        if (!parent.at(key).is_object())
            fail(field, "expected a quantity object {\"value\", \"unit\", \"source\"}");
        const json &q = parent.at(key);
        const bool isCompute = kind == "compute";
        if (isCompute)
            allowOnly(q, field, {"value", "unit", "source", "dense", "note"});
        else
            allowOnly(q, field, {"value", "unit", "source", "note"});
        if (!q.contains("value") || !q.at("value").is_number() || !std::isfinite(q.at("value").get<double>()))
            fail(field + ".value", "expected a finite number");
        const double value = q.at("value").get<double>();
        if (zeroAllowed ? value < 0.0 : value <= 0.0)
            fail(field + ".value", zeroAllowed ? "expected a number >= 0" : "expected a number > 0");
        const std::string unit = string(q, field, "unit");
        const double factor = unitFactor(unit, kind);
        if (factor == 0.0)
            fail(field + ".unit", "unit \"" + unit + "\" is not accepted here; expected one of: " + unitsOf(kind));
        if (isCompute) {
            if (!q.contains("dense") || !q.at("dense").is_boolean())
                fail(field + ".dense", "missing; expected true or false (dense or sparse peak)");
            if (!q.at("dense").get<bool>())
                fail(field + ".dense", "sparse peaks are not used by the model; give the dense value with \"dense\": true");
        }
        // The shared range (inputlimits.cpp), stated in the unit of the file.
        if (const InputLimit *limit = inputLimit(field); limit && !withinLimit(*limit, value * factor))
            fail(field + ".value", limitMessage(*limit, value * factor, factor, kind == "fraction" ? "" : unit,
                                                shortNumber(value)));
        SourcedQuantity sq;
        sq.field = field;
        sq.value = value;
        sq.unit = unit;
        sq.si = value * factor;
        sq.source = string(q, field, "source");
        sq.note = string(q, field, "note", false);
        log.push_back(sq);
        return sq.si;
    }

private:
    std::string m_file;
};

std::string readFile(const std::string &path)
{
    // stat() before open(): opening a FIFO would block until a writer comes.
    if (const std::string problem = inputFileProblem(path, kMaxPresetBytes); !problem.empty())
        throw PresetError(path, "", problem);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw PresetError(path, "", "cannot open the file for reading");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0)
        throw PresetError(path, "", "cannot determine the file size");
    if (static_cast<std::size_t>(size) > kMaxPresetBytes)
        throw PresetError(path, "", "file is larger than the " + std::to_string(kMaxPresetBytes) + "-byte limit for presets");
    in.seekg(0);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void checkSchema(const Reader &r, const json &j, const char *expected)
{
    const std::string schema = r.string(j, "", "schema");
    if (schema != expected)
        r.fail("schema", "unsupported schema \"" + schema + "\"; expected \"" + expected + "\"");
}

void checkId(const Reader &r, const std::string &id)
{
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            r.fail("id", "expected a kebab-case id (lower-case letters, digits, '-', '.'), got \"" + id + "\"");
}

} // namespace

HardwarePreset parseHardwarePreset(const std::string &text, const std::string &fileName)
{
    const Reader r(fileName);
    const json j = r.parse(text);
    r.allowOnly(j, "", {"schema", "id", "name", "category", "description", "compute", "dram", "sram", "energy", "derate", "interconnect"});
    checkSchema(r, j, kHardwareSchema);
    HardwarePreset p;
    HardwareConfig &hw = p.config;
    hw.id = r.string(j, "", "id");
    checkId(r, hw.id);
    hw.name = r.string(j, "", "name");
    hw.category = r.string(j, "", "category");
    static const std::set<std::string> categories = {"datacenter-gpu", "datacenter-accelerator", "edge", "template"};
    if (!categories.count(hw.category))
        r.fail("category", "expected one of datacenter-gpu, datacenter-accelerator, edge, template");
    p.description = r.string(j, "", "description", false);
    auto &log = p.quantities;

    const json &compute = r.object(j, "", "compute");
    r.allowOnly(compute, "compute", {"bf16", "fp8", "fp4", "mma_tile_rows"});
    hw.peakFlopsBf16 = r.quantity(compute, "compute", "bf16", "compute", true, log);
    hw.peakFlopsFp8 = r.quantity(compute, "compute", "fp8", "compute", false, log);
    hw.peakFlopsFp4 = r.quantity(compute, "compute", "fp4", "compute", false, log);
    hw.mmaTileRows = 1;
    if (compute.contains("mma_tile_rows"))
        hw.mmaTileRows = int(r.quantity(compute, "compute", "mma_tile_rows", "rows", true, log));

    const json &dram = r.object(j, "", "dram");
    r.allowOnly(dram, "dram", {"bandwidth", "capacity"});
    hw.dramBandwidthBytesPerS = r.quantity(dram, "dram", "bandwidth", "bandwidth", true, log);
    hw.dramCapacityBytes = r.quantity(dram, "dram", "capacity", "capacity", true, log);

    const json &sram = r.object(j, "", "sram");
    r.allowOnly(sram, "sram", {"capacity", "bandwidth"});
    hw.sramCapacityBytes = r.quantity(sram, "sram", "capacity", "capacity", true, log);
    hw.sramBandwidthBytesPerS = r.quantity(sram, "sram", "bandwidth", "bandwidth", true, log);

    const json &energy = r.object(j, "", "energy");
    r.allowOnly(energy, "energy", {"mac_bf16", "mac_fp8", "mac_fp4", "dram", "sram", "static_power"});
    hw.energyPerMacBf16J = r.quantity(energy, "energy", "mac_bf16", "mac_energy", true, log);
    hw.energyPerMacFp8J = r.quantity(energy, "energy", "mac_fp8", "mac_energy", false, log);
    hw.energyPerMacFp4J = r.quantity(energy, "energy", "mac_fp4", "mac_energy", false, log);
    hw.energyPerDramByteJ = r.quantity(energy, "energy", "dram", "byte_energy", true, log);
    hw.energyPerSramByteJ = r.quantity(energy, "energy", "sram", "byte_energy", true, log);
    hw.staticPowerW = r.quantity(energy, "energy", "static_power", "power", true, log, true);

    hw.computeDerate = 1.0;
    hw.bandwidthDerate = 1.0;
    hw.attentionComputeDerate = 1.0;
    hw.attentionBandwidthDerate = 1.0;
    hw.kernelLatencyFloorS = 0.0;
    if (j.contains("derate")) {
        const json &derate = r.object(j, "", "derate");
        r.allowOnly(derate, "derate",
                    {"compute", "bandwidth", "attention_compute", "attention_bandwidth", "latency_floor"});
        const auto fraction = [&](const char *key, double &out) {
            if (derate.contains(key))
                out = r.quantity(derate, "derate", key, "fraction", true, log);
        };
        fraction("compute", hw.computeDerate);
        fraction("bandwidth", hw.bandwidthDerate);
        fraction("attention_compute", hw.attentionComputeDerate);
        fraction("attention_bandwidth", hw.attentionBandwidthDerate);
        if (derate.contains("latency_floor"))
            hw.kernelLatencyFloorS = r.quantity(derate, "derate", "latency_floor", "time", true, log, true);
    }
    // Device-to-device links (optional: a preset without them serves one device only, TP = 1).
    hw.interconnectBandwidthBytesPerS = 0.0;
    hw.interconnectLatencyS = 0.0;
    if (j.contains("interconnect")) {
        const json &link = r.object(j, "", "interconnect");
        r.allowOnly(link, "interconnect", {"bandwidth", "latency"});
        hw.interconnectBandwidthBytesPerS = r.quantity(link, "interconnect", "bandwidth", "bandwidth", true, log);
        if (link.contains("latency"))
            hw.interconnectLatencyS = r.quantity(link, "interconnect", "latency", "time", true, log, true);
    }
    return p;
}

ModelPreset parseModelPreset(const std::string &text, const std::string &fileName)
{
    const Reader r(fileName);
    const json j = r.parse(text);
    r.allowOnly(j, "", {"schema", "id", "name", "attention", "source", "description", "hidden_size", "num_layers",
                        "num_heads", "num_kv_heads", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
                        "kv_lora_rank", "q_lora_rank", "total_params", "note", "intermediate_size",
                        "moe_intermediate_size", "n_routed_experts", "n_shared_experts", "num_experts_per_tok",
                        "first_k_dense_replace", "vocab_size", "tie_word_embeddings"});
    checkSchema(r, j, kModelSchema);
    ModelPreset p;
    ModelConfig &m = p.config;
    m.id = r.string(j, "", "id");
    checkId(r, m.id);
    m.name = r.string(j, "", "name");
    m.source = r.string(j, "", "source");
    p.description = r.string(j, "", "description", false);
    p.note = r.string(j, "", "note", false);
    const std::string attention = r.string(j, "", "attention");
    if (attention == "mla")
        m.attention = AttentionKind::Mla;
    else if (attention == "mha")
        m.attention = AttentionKind::Mha;
    else if (attention == "gqa")
        m.attention = AttentionKind::Gqa;
    else
        r.fail("attention", "expected \"mla\", \"mha\" or \"gqa\", got \"" + attention + "\"");
    m.hiddenSize = r.integer(j, "", "hidden_size", 1);
    m.numLayers = r.integer(j, "", "num_layers", 1);
    m.numHeads = r.integer(j, "", "num_heads", 1);
    m.numKvHeads = r.integer(j, "", "num_kv_heads", 1);
    m.qkNopeHeadDim = r.integer(j, "", "qk_nope_head_dim", 1);
    m.qkRopeHeadDim = r.integer(j, "", "qk_rope_head_dim", 0);
    m.vHeadDim = r.integer(j, "", "v_head_dim", 1);
    m.kvLoraRank = r.integer(j, "", "kv_lora_rank", 0);
    m.qLoraRank = r.integer(j, "", "q_lora_rank", 0);
    m.totalParams = r.number(j, "", "total_params", 0.0, false);
    // The FFN/MoE layers, embeddings and LM head (optional: a preset without them models attention only).
    m.intermediateSize = r.integer(j, "", "intermediate_size", 0, false);
    m.moeIntermediateSize = r.integer(j, "", "moe_intermediate_size", 0, false);
    m.routedExperts = r.integer(j, "", "n_routed_experts", 0, false);
    m.sharedExperts = r.integer(j, "", "n_shared_experts", 0, false);
    m.expertsPerToken = r.integer(j, "", "num_experts_per_tok", 0, false);
    m.firstDenseLayers = r.integer(j, "", "first_k_dense_replace", 0, false);
    m.vocabSize = r.integer(j, "", "vocab_size", 0, false);
    if (j.contains("tie_word_embeddings")) {
        if (!j.at("tie_word_embeddings").is_boolean())
            r.fail("tie_word_embeddings", "expected true or false");
        m.tiedEmbeddings = j.at("tie_word_embeddings").get<bool>();
    }
    if (m.routedExperts > 0 && (m.expertsPerToken < 1 || m.expertsPerToken > m.routedExperts))
        r.fail("num_experts_per_tok", "expected 1 to n_routed_experts (" + std::to_string(m.routedExperts) + "), got "
                                          + std::to_string(m.expertsPerToken));
    if (m.firstDenseLayers > m.numLayers)
        r.fail("first_k_dense_replace", "expected at most num_layers (" + std::to_string(m.numLayers) + "), got "
                                            + std::to_string(m.firstDenseLayers));
    if (m.numHeads % m.numKvHeads != 0)
        r.fail("num_kv_heads", "expected a divisor of num_heads (" + std::to_string(m.numHeads) + "), got "
                                   + std::to_string(m.numKvHeads));
    if (m.attention == AttentionKind::Mla && m.kvLoraRank < 1)
        r.fail("kv_lora_rank", "an MLA model needs a latent rank >= 1");
    if (m.attention != AttentionKind::Mla && m.kvLoraRank != 0)
        r.fail("kv_lora_rank", "expected 0 for a model whose attention is not MLA");
    return p;
}

HardwarePreset loadHardwarePresetFile(const std::string &path)
{
    return parseHardwarePreset(readFile(path), path);
}

ModelPreset loadModelPresetFile(const std::string &path)
{
    return parseModelPreset(readFile(path), path);
}

} // namespace mlastudio::core
