// SPDX-License-Identifier: MIT
// Preset files: every shipped one loads, malformed ones name the file and field, numbers are checked
// against the shared limits in the file's units, and only regular files are read.
#include "check.h"
#include "fifoguard.h"
#include "testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/presets.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace mlastudio::core;
using nlohmann::json;

namespace {

std::string readText(const std::string &path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

json h100Json()
{
    return json::parse(readText(testutil::presetPath("hardware", "h100-sxm")));
}

json v3Json()
{
    return json::parse(readText(testutil::presetPath("models", "deepseek-v3")));
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// The PresetError a load gives, as "file: field: expected" (empty if it loads).
template<typename Load>
std::string errorOf(Load load)
{
    try {
        load();
    } catch (const PresetError &e) {
        return e.what();
    }
    return {};
}

using testutil::readsWithoutBlocking;

} // namespace

TEST_CASE(everyShippedPresetLoads)
{
    int models = 0, hardware = 0;
    for (const char *kind : {"hardware", "models"})
        for (const auto &entry : std::filesystem::directory_iterator(std::string(MLASTUDIO_SOURCE_DIR) + "/presets/" + kind)) {
            const std::string path = entry.path().string();
            const std::string stem = entry.path().stem().string();
            Parameters p = testutil::params();
            if (std::string(kind) == "hardware") {
                const HardwarePreset h = loadHardwarePresetFile(path);
                CHECK_EQ(h.config.id, stem);
                for (const SourcedQuantity &q : h.quantities)
                    CHECK_MSG(!q.source.empty(), path + " " + q.field);
                p.hardware = h.config;
                ++hardware;
            } else {
                const ModelPreset m = loadModelPresetFile(path);
                CHECK_EQ(m.config.id, stem);
                p.model = m.config;
                ++models;
            }
            CHECK_MSG(validate(p).empty(), path);
        }
    CHECK(hardware >= 12);
    CHECK(models >= 7);
}

TEST_CASE(h100Values)
{
    const HardwarePreset h = loadHardwarePresetFile(testutil::presetPath("hardware", "h100-sxm"));
    CHECK_EQ(h.config.peakFlopsBf16, 989.4e12);
    CHECK_EQ(h.config.dramBandwidthBytesPerS, 3350e9);
    CHECK_EQ(h.config.sramCapacityBytes, 33.0 * 1048576);
    CHECK_EQ(h.config.energyPerDramByteJ, 7.0 * 8e-12);
    const ModelPreset v3 = loadModelPresetFile(testutil::presetPath("models", "deepseek-v3"));
    CHECK_EQ(v3.config.kvLoraRank, 512);
    CHECK_EQ(v3.config.qkRopeHeadDim, 64);
    CHECK_EQ(v3.config.numLayers, 61);
    const ModelPreset lite = loadModelPresetFile(testutil::presetPath("models", "deepseek-v2-lite"));
    CHECK_EQ(lite.config.qLoraRank, 0);
}

TEST_CASE(malformedHardware)
{
    struct Row {
        const char *patch;    // JSON merge patch applied to the H100 preset
        const char *field;    // field the error must name
        const char *expected; // words the error must contain
    };
    const Row rows[] = {
        {R"({"dram": {"bandwidth": null}})", "dram.bandwidth", "missing"},
        {R"({"dram": {"bandwidth": {"value": 0}}})", "dram.bandwidth.value", "> 0"},
        {R"({"compute": {"bf16": {"value": "989"}}})", "compute.bf16.value", "number"},
        {R"({"dram": {"bandwidth": {"unit": "GB"}}})", "dram.bandwidth.unit", "GB/s"},
        {R"({"compute": {"bf16": {"dense": false}}})", "compute.bf16.dense", "dense"},
        {R"({"sram": {"capacity": {"source": ""}}})", "sram.capacity.source", "non-empty"},
        {R"({"dram": {"latency": 5}})", "dram.latency", "unknown field"},
        {R"({"comptue": {}})", "comptue", "unknown field"},
        {R"({"schema": "mlastudio.hardware/2"})", "schema", "mlastudio.hardware/1"},
        {R"({"derate": {"compute": {"value": 1.5}}})", "derate.compute.value", "must be a fraction from 0.01 to 1, got 1.5"},
        {R"({"id": "H100 SXM"})", "id", "kebab-case"},
        {R"({"category": "gpu"})", "category", "datacenter-gpu"},
        // Ranges in the file's own unit (the H100 file states bandwidth in GB/s, MAC energy in pJ).
        {R"({"derate": {"compute": {"value": 1e-320}}})", "derate.compute.value", "must be a fraction from 0.01 to 1, got 1e-320"},
        {R"({"derate": {"bandwidth": {"value": 0.001}}})", "derate.bandwidth.value", "must be a fraction from 0.01 to 1, got 0.001"},
        {R"({"dram": {"bandwidth": {"value": 1e-300}}})", "dram.bandwidth.value", "must be from 1e-6 to 1e9 GB/s, got 1e-300 GB/s"},
        {R"({"energy": {"mac_bf16": {"value": 1e12}}})", "energy.mac_bf16.value", "must be 0 or from 1e-6 to 1e6 pJ, got 1e12 pJ"},
        {R"({"energy": {"static_power": {"value": 1e-310}}})", "energy.static_power.value", "must be 0 or from 0.001 to 1e9 W, got 1e-310 W"},
    };
    for (const Row &row : rows) {
        json j = h100Json();
        j.merge_patch(json::parse(row.patch));
        try {
            parseHardwarePreset(j.dump(), "my-gpu.json");
            FAIL(std::string("accepted a malformed preset: ") + row.patch);
        } catch (const PresetError &e) {
            CHECK_EQ(e.file(), std::string("my-gpu.json"));
            CHECK_EQ(e.field(), std::string(row.field));
            CHECK_MSG(contains(e.expected(), row.expected), e.what());
            CHECK(std::string(e.what()).rfind(std::string("my-gpu.json: ") + row.field, 0) == 0);
        }
    }
}

TEST_CASE(malformedModel)
{
    struct Row {
        const char *patch;
        const char *field;
        const char *expected;
    };
    const Row rows[] = {
        {R"({"num_kv_heads": 7})", "num_kv_heads", "divisor"},
        {R"({"kv_lora_rank": 0})", "kv_lora_rank", "latent rank"},
        {R"({"qk_rope_head_dim": -1})", "qk_rope_head_dim", "must be an integer from 0 to 1048576, got -1"},
        {R"({"num_layers": 61.5})", "num_layers", "must be an integer from 1 to 1048576, got 61.5"},
        {R"({"hidden_size": null})", "hidden_size", "missing"},
        {R"({"attention": "linear"})", "attention", "linear"},
        {R"({"kv_lora": 512})", "kv_lora", "unknown field"},
        // Wrapped integers: get<int>() would read these as 1, 16 and 1.
        {R"({"hidden_size": 4294967297})", "hidden_size", "must be an integer from 1 to 1048576, got 4294967297"},
        {R"({"num_heads": 4294967424})", "num_heads", "must be an integer from 1 to 1048576, got 4294967424"},
        {R"({"num_layers": -4294967295})", "num_layers", "must be an integer from 1 to 1048576, got -4294967295"},
        {R"({"q_lora_rank": 18446744073709551615})", "q_lora_rank", "must be an integer from 0 to 1048576, got 18446744073709551615"},
    };
    for (const Row &row : rows) {
        json j = v3Json();
        j.merge_patch(json::parse(row.patch));
        try {
            parseModelPreset(j.dump(), "m.json");
            FAIL(std::string("accepted a malformed model: ") + row.patch);
        } catch (const PresetError &e) {
            CHECK_EQ(e.field(), std::string(row.field));
            CHECK_MSG(contains(e.expected(), row.expected), e.what());
        }
    }
}

TEST_CASE(fileErrors)
{
    check::TempDir dir;
    const std::string bad = dir.file("bad.json");
    std::ofstream(bad) << "{ \"schema\": \"mlastudio.hardware/1\", ";
    try {
        loadHardwarePresetFile(bad);
        FAIL("accepted truncated JSON");
    } catch (const PresetError &e) {
        CHECK_EQ(e.file(), bad);
        CHECK(contains(e.expected(), "not valid JSON"));
    }
    CHECK_EQ(errorOf([&] { loadHardwarePresetFile(bad + ".missing"); }), bad + ".missing: no such file");
    const std::string big = dir.file("big.json");
    std::ofstream(big) << std::string(kMaxPresetBytes + 1, ' ');
    CHECK_EQ(errorOf([&] { loadModelPresetFile(big); }),
             big + ": is " + std::to_string(kMaxPresetBytes + 1) + " bytes, more than the " + std::to_string(kMaxPresetBytes)
                 + "-byte limit");
    CHECK_THROWS(PresetError, parseModelPreset("[1, 2]", "array.json"));
}

TEST_CASE(specialFilesAreRefusedBeforeOpening)
{
    // A FIFO (directly or through a link), a directory, a socket and a device are named for what they
    // are; opening the FIFO would block until a writer came.
    check::TempDir dir;
    const std::string fifo = dir.file("pipe.json");
    CHECK(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string link = dir.file("link.json");
    std::filesystem::create_symlink(fifo, link);
    for (const std::string &path : {fifo, link}) {
        std::string error;
        CHECK(readsWithoutBlocking(fifo, [&] { error = errorOf([&] { loadHardwarePresetFile(path); }); }));
        CHECK_EQ(error, path + ": is a FIFO, not a regular file");
        CHECK(readsWithoutBlocking(fifo, [&] { error = errorOf([&] { loadModelPresetFile(path); }); }));
        CHECK_EQ(error, path + ": is a FIFO, not a regular file");
    }
    std::filesystem::create_directory(dir.file("folder.json"));
    CHECK_EQ(errorOf([&] { loadModelPresetFile(dir.file("folder.json")); }), dir.file("folder.json") + ": is a directory, not a file");
    CHECK_EQ(inputFileProblem("/dev/null", kMaxPresetBytes), std::string("is a device, not a regular file"));
    std::filesystem::create_symlink(dir.file("gone.json"), dir.file("dangling.json"));
    CHECK_EQ(inputFileProblem(dir.file("dangling.json"), kMaxPresetBytes),
             std::string("is a symbolic link to a file that does not exist"));

    const std::string socketPath = dir.file("s.json");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd >= 0 && socketPath.size() < sizeof addr.sun_path) {
        socketPath.copy(addr.sun_path, socketPath.size());
        if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0)
            CHECK_EQ(inputFileProblem(socketPath, kMaxPresetBytes), std::string("is a socket, not a regular file"));
    }
    if (fd >= 0)
        ::close(fd);
}

TEST_CASE(units)
{
    CHECK_EQ(unitFactor("TB/s", "bandwidth"), 1e12);
    CHECK_EQ(unitFactor("MiB", "capacity"), 1048576.0);
    CHECK_EQ(unitFactor("pJ/bit", "byte_energy"), 8e-12);
    CHECK_EQ(unitFactor("TFLOP/s", "bandwidth"), 0.0);
}

CHECK_MAIN()
