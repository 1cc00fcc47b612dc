// SPDX-License-Identifier: MIT
#include "testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/presets.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

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

} // namespace

class TestPresets : public QObject
{
    Q_OBJECT

private slots:
    void everyShippedPresetLoads();
    void h100Values();
    void malformedHardware_data();
    void malformedHardware();
    void malformedModel_data();
    void malformedModel();
    void fileErrors();
    void units();
};

void TestPresets::everyShippedPresetLoads()
{
    int models = 0, hardware = 0;
    for (const char *kind : {"hardware", "models"})
        for (const auto &entry : std::filesystem::directory_iterator(std::string(MLASTUDIO_SOURCE_DIR) + "/presets/" + kind)) {
            const std::string path = entry.path().string();
            const std::string stem = entry.path().stem().string();
            Parameters p = testutil::params();
            if (std::string(kind) == "hardware") {
                const HardwarePreset h = loadHardwarePresetFile(path);
                QCOMPARE(h.config.id, stem);
                for (const SourcedQuantity &q : h.quantities)
                    QVERIFY2(!q.source.empty(), qPrintable(QString::fromStdString(path + " " + q.field)));
                p.hardware = h.config;
                ++hardware;
            } else {
                const ModelPreset m = loadModelPresetFile(path);
                QCOMPARE(m.config.id, stem);
                p.model = m.config;
                ++models;
            }
            QVERIFY2(validate(p).empty(), qPrintable(QString::fromStdString(path)));
        }
    QVERIFY(hardware >= 12);
    QVERIFY(models >= 7);
}

void TestPresets::h100Values()
{
    const HardwarePreset h = loadHardwarePresetFile(testutil::presetPath("hardware", "h100-sxm"));
    QCOMPARE(h.config.peakFlopsBf16, 989.4e12);
    QCOMPARE(h.config.dramBandwidthBytesPerS, 3350e9);
    QCOMPARE(h.config.sramCapacityBytes, 33.0 * 1048576);
    QCOMPARE(h.config.energyPerDramByteJ, 7.0 * 8e-12);
    const ModelPreset v3 = loadModelPresetFile(testutil::presetPath("models", "deepseek-v3"));
    QCOMPARE(v3.config.kvLoraRank, 512);
    QCOMPARE(v3.config.qkRopeHeadDim, 64);
    QCOMPARE(v3.config.numLayers, 61);
    const ModelPreset lite = loadModelPresetFile(testutil::presetPath("models", "deepseek-v2-lite"));
    QCOMPARE(lite.config.qLoraRank, 0);
}

void TestPresets::malformedHardware_data()
{
    QTest::addColumn<QString>("patch");      // JSON merge patch applied to the H100 preset
    QTest::addColumn<QString>("field");      // field the error must name
    QTest::addColumn<QString>("expected");   // words the error must contain
    QTest::newRow("missing bandwidth") << R"({"dram": {"bandwidth": null}})" << "dram.bandwidth" << "missing";
    QTest::newRow("zero bandwidth") << R"({"dram": {"bandwidth": {"value": 0}}})" << "dram.bandwidth.value" << "> 0";
    QTest::newRow("string value") << R"({"compute": {"bf16": {"value": "989"}}})" << "compute.bf16.value" << "number";
    QTest::newRow("bad unit") << R"({"dram": {"bandwidth": {"unit": "GB"}}})" << "dram.bandwidth.unit" << "GB/s";
    QTest::newRow("sparse") << R"({"compute": {"bf16": {"dense": false}}})" << "compute.bf16.dense" << "dense";
    QTest::newRow("no source") << R"({"sram": {"capacity": {"source": ""}}})" << "sram.capacity.source" << "non-empty";
    QTest::newRow("unknown field") << R"({"dram": {"latency": 5}})" << "dram.latency" << "unknown field";
    QTest::newRow("typo top level") << R"({"comptue": {}})" << "comptue" << "unknown field";
    QTest::newRow("schema") << R"({"schema": "mlastudio.hardware/2"})" << "schema" << "mlastudio.hardware/1";
    QTest::newRow("derate > 1") << R"({"derate": {"compute": {"value": 1.5}}})" << "derate.compute.value" << "fraction";
    QTest::newRow("bad id") << R"({"id": "H100 SXM"})" << "id" << "kebab-case";
    QTest::newRow("category") << R"({"category": "gpu"})" << "category" << "datacenter-gpu";
}

void TestPresets::malformedHardware()
{
    QFETCH(QString, patch);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    json j = h100Json();
    j.merge_patch(json::parse(patch.toStdString()));
    try {
        parseHardwarePreset(j.dump(), "my-gpu.json");
        QFAIL("accepted a malformed preset");
    } catch (const PresetError &e) {
        QCOMPARE(QString::fromStdString(e.file()), QStringLiteral("my-gpu.json"));
        QCOMPARE(QString::fromStdString(e.field()), field);
        QVERIFY2(QString::fromStdString(e.expected()).contains(expected), e.what());
        QVERIFY(QString::fromLatin1(e.what()).startsWith(QStringLiteral("my-gpu.json: ") + field));
    }
}

void TestPresets::malformedModel_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("field");
    QTest::newRow("heads do not divide") << R"({"num_kv_heads": 7})" << "num_kv_heads";
    QTest::newRow("mla without latent") << R"({"kv_lora_rank": 0})" << "kv_lora_rank";
    QTest::newRow("negative rope") << R"({"qk_rope_head_dim": -1})" << "qk_rope_head_dim";
    QTest::newRow("float layers") << R"({"num_layers": 61.5})" << "num_layers";
    QTest::newRow("missing hidden") << R"({"hidden_size": null})" << "hidden_size";
    QTest::newRow("attention kind") << R"({"attention": "linear"})" << "attention";
    QTest::newRow("unknown") << R"({"kv_lora": 512})" << "kv_lora";
}

void TestPresets::malformedModel()
{
    QFETCH(QString, patch);
    QFETCH(QString, field);
    json j = json::parse(readText(testutil::presetPath("models", "deepseek-v3")));
    j.merge_patch(json::parse(patch.toStdString()));
    try {
        parseModelPreset(j.dump(), "m.json");
        QFAIL("accepted a malformed model");
    } catch (const PresetError &e) {
        QCOMPARE(QString::fromStdString(e.field()), field);
    }
}

void TestPresets::fileErrors()
{
    QTemporaryDir dir;
    const std::string bad = (dir.path() + QStringLiteral("/bad.json")).toStdString();
    {
        std::ofstream(bad) << "{ \"schema\": \"mlastudio.hardware/1\", ";
    }
    try {
        loadHardwarePresetFile(bad);
        QFAIL("accepted truncated JSON");
    } catch (const PresetError &e) {
        QCOMPARE(e.file(), bad);
        QVERIFY(QString::fromStdString(e.expected()).contains(QStringLiteral("not valid JSON")));
    }
    QVERIFY_THROWS_EXCEPTION(PresetError, loadHardwarePresetFile(bad + ".missing"));
    const std::string big = (dir.path() + QStringLiteral("/big.json")).toStdString();
    {
        std::ofstream out(big);
        out << std::string(kMaxPresetBytes + 1, ' ');
    }
    try {
        loadModelPresetFile(big);
        QFAIL("accepted an oversized file");
    } catch (const PresetError &e) {
        QVERIFY(QString::fromStdString(e.expected()).contains(QStringLiteral("limit")));
    }
    QVERIFY_THROWS_EXCEPTION(PresetError, parseModelPreset("[1, 2]", "array.json"));
}

void TestPresets::units()
{
    QCOMPARE(unitFactor("TB/s", "bandwidth"), 1e12);
    QCOMPARE(unitFactor("MiB", "capacity"), 1048576.0);
    QCOMPARE(unitFactor("pJ/bit", "byte_energy"), 8e-12);
    QCOMPARE(unitFactor("TFLOP/s", "bandwidth"), 0.0);
}

QTEST_APPLESS_MAIN(TestPresets)
#include "tst_presets.moc"
