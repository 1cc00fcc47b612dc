// SPDX-License-Identifier: MIT
// The document: results, undo/redo with merging, files and their validation, measured CSV.
#include "measuredcsv.h"
#include "scenario.h"

#include "mlastudio/core/report.h"

#include "../core/fifoguard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlastudio;
using mlastudio::ui::Scenario;
using nlohmann::json;

namespace {

const core::StepResult &resultOf(const Scenario &s, core::Scheme scheme)
{
    const core::StepResult *r = s.result(scheme);
    if (!r)
        qFatal("no result for %s", core::schemeId(scheme).data());
    return *r;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

template<typename Read>
bool readsWithoutBlocking(const QString &fifo, Read read)
{
    return testutil::readsWithoutBlocking(QFile::encodeName(fifo).toStdString(), read);
}

QString dataFile(const char *name)
{
    return QStringLiteral(MLASTUDIO_SOURCE_DIR "/tests/ui/data/") + QString::fromLatin1(name);
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaults();
    void setFieldChangesResults();
    void sliderEditsMergeIntoOneStep();
    void differentFieldsDoNotMerge();
    void undoRedoRestoreExactValues();
    void resetField();
    void resetAll();
    void presetChangeKeepsWorkload();
    void prefillIsAllowed();
    void invalidInputsGiveIssuesNotResults();
    void visibilityAndReference();
    void themeIsNotAnUndoStep();
    void saveOpenRoundTrip();
    void saveKeepsBackup();
    void malformedFilesAreRejected_data();
    void malformedFilesAreRejected();
    void tooLargeFileIsRejected();
    void specialFilesAreRefused();
    void shippedScenariosLoad();
    void handWrittenFileMergesOverItsPresets();
    void handWrittenFileStillNamesBadValues();
    void undoHistoryIsCapped();
    void unwritableSavePath();
    void newScenarioRestoresDefaults();
    void measuredCsvGood();
    void measuredCsvBad_data();
    void measuredCsvBad();

private:
    QTemporaryDir m_dir;
};

void TestScenario::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestScenario::defaults()
{
    Scenario s;
    QCOMPARE(s.modelPresetId(), QStringLiteral("deepseek-v3"));
    QCOMPARE(s.hardwarePresetId(), QStringLiteral("h100-sxm"));
    QCOMPARE(s.parameters().workload.phase, core::Phase::Decode);
    QCOMPARE(s.parameters().workload.batch, 1);
    QCOMPARE(s.parameters().workload.kvLength, 4096LL);
    QCOMPARE(s.parameters().precision.kvBits, 16);
    const std::vector<core::Scheme> visible = s.visibleSchemes();
    QCOMPARE(visible, (std::vector<core::Scheme>{core::Scheme::Mha, core::Scheme::MlaReuse, core::Scheme::MlaRecompute}));
    QVERIFY(s.issues().empty());
    QVERIFY(!s.results().empty());
    // 61 layers · 128 heads · (128 + 128) · 2 B, and 61 · (512 + 64) · 2 B for the latent.
    QCOMPARE(resultOf(s, core::Scheme::Mha).kvCacheBytesPerToken, 3997696.0);
    QCOMPARE(resultOf(s, core::Scheme::MlaReuse).kvCacheBytesPerToken, 70272.0);
    QVERIFY(!s.isModified());
    QCOMPARE(s.undoStack()->count(), 0);
    for (const core::FieldInfo &f : core::allFields())
        QVERIFY2(!s.fieldDiffersFromPreset(f.field), f.id.data());
}

void TestScenario::setFieldChangesResults()
{
    Scenario s;
    QSignalSpy results(&s, &Scenario::resultsChanged);
    QSignalSpy params(&s, &Scenario::parametersChanged);
    QSignalSpy modified(&s, &Scenario::modifiedChanged);
    const double before = resultOf(s, core::Scheme::Mha).timeS;
    const double bw = s.parameters().hardware.dramBandwidthBytesPerS;
    s.setField(core::Field::DramBandwidth, 2 * bw);
    QCOMPARE(results.count(), 1);
    QCOMPARE(params.count(), 1);
    QCOMPARE(modified.count(), 1);
    QCOMPARE(modified.at(0).at(0).toBool(), true);
    QCOMPARE(s.parameters().hardware.dramBandwidthBytesPerS, 2 * bw);
    const double after = resultOf(s, core::Scheme::Mha).timeS;
    // MHA decode at B=1 is memory bound: twice the bandwidth, (nearly) half the time.
    QVERIFY2(after < 0.6 * before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    QVERIFY(s.fieldDiffersFromPreset(core::Field::DramBandwidth));
    QVERIFY(s.isModified());

    // Setting the same value again is not an edit.
    s.setField(core::Field::DramBandwidth, 2 * bw);
    QCOMPARE(results.count(), 1);
    QCOMPARE(s.undoStack()->count(), 1);
}

void TestScenario::sliderEditsMergeIntoOneStep()
{
    Scenario s;
    const double bw = s.parameters().hardware.dramBandwidthBytesPerS;
    for (int i = 1; i <= 20; ++i)
        s.setField(core::Field::DramBandwidth, bw * (1.0 + 0.05 * i));
    QCOMPARE(s.undoStack()->count(), 1);
    QCOMPARE(s.parameters().hardware.dramBandwidthBytesPerS, bw * 2.0);
    s.endMerge();
    s.setField(core::Field::DramBandwidth, bw * 3.0);
    QCOMPARE(s.undoStack()->count(), 2);
    s.undoStack()->undo();
    QCOMPARE(s.parameters().hardware.dramBandwidthBytesPerS, bw * 2.0);
    s.undoStack()->undo();
    QCOMPARE(s.parameters().hardware.dramBandwidthBytesPerS, bw);
    QVERIFY(!s.isModified());

    // A drag that ends where it started leaves no step behind.
    s.endMerge();
    s.setField(core::Field::Batch, 8);
    s.setField(core::Field::Batch, 1);
    QCOMPARE(s.undoStack()->index(), 0);
    QVERIFY(!s.isModified());
}

void TestScenario::differentFieldsDoNotMerge()
{
    Scenario s;
    s.setField(core::Field::Batch, 4);
    s.setField(core::Field::KvLength, 8192);
    s.setField(core::Field::Batch, 8);
    QCOMPARE(s.undoStack()->count(), 3);
}

void TestScenario::undoRedoRestoreExactValues()
{
    Scenario s;
    const json original = s.toJson();
    const double oddBandwidth = 1234.56789e9;
    s.setField(core::Field::DramBandwidth, oddBandwidth);
    s.endMerge();
    s.setField(core::Field::KvLength, 131072);
    s.endMerge();
    s.setField(core::Field::KvBits, 8);
    const json edited = s.toJson();
    QCOMPARE(s.undoStack()->count(), 3);
    while (s.undoStack()->canUndo())
        s.undoStack()->undo();
    QVERIFY(s.toJson() == original);
    QVERIFY(!s.isModified());
    while (s.undoStack()->canRedo())
        s.undoStack()->redo();
    QVERIFY(s.toJson() == edited);
    QCOMPARE(s.parameters().hardware.dramBandwidthBytesPerS, oddBandwidth);
    QCOMPARE(s.parameters().workload.kvLength, 131072LL);
    QCOMPARE(s.parameters().precision.kvBits, 8);
    QCOMPARE(resultOf(s, core::Scheme::Mha).kvCacheBytesPerToken, 3997696.0 / 2);
}

void TestScenario::resetField()
{
    Scenario s;
    const double peak = s.parameters().hardware.peakFlopsBf16;
    const double peak8 = s.parameters().hardware.peakFlopsFp8;
    s.setField(core::Field::PeakCompute, peak * 3);
    s.endMerge();
    s.setField(core::Field::Heads, 64);
    QVERIFY(s.fieldDiffersFromPreset(core::Field::PeakCompute));
    s.resetField(core::Field::PeakCompute);
    QVERIFY(!s.fieldDiffersFromPreset(core::Field::PeakCompute));
    QCOMPARE(s.parameters().hardware.peakFlopsBf16, peak);
    QCOMPARE(s.parameters().hardware.peakFlopsFp8, peak8);
    QVERIFY(s.fieldDiffersFromPreset(core::Field::Heads));
    QCOMPARE(s.undoStack()->count(), 3);
    // Resetting an unchanged field is not an edit.
    s.resetField(core::Field::PeakCompute);
    QCOMPARE(s.undoStack()->count(), 3);
    s.undoStack()->undo();
    QCOMPARE(s.parameters().hardware.peakFlopsBf16, peak * 3);
}

void TestScenario::resetAll()
{
    Scenario s;
    s.setPhase(core::Phase::Prefill);
    s.setField(core::Field::Heads, 64);
    s.setField(core::Field::Batch, 16);
    s.setField(core::Field::SramBandwidth, 1e12);
    s.resetAllFields();
    for (const core::FieldInfo &f : core::allFields())
        QVERIFY2(!s.fieldDiffersFromPreset(f.field), f.id.data());
    QCOMPARE(s.parameters().workload.phase, core::Phase::Prefill);  // not a field: kept
    s.undoStack()->undo();
    QCOMPARE(s.parameters().model.numHeads, 64);
}

void TestScenario::presetChangeKeepsWorkload()
{
    Scenario s;
    s.setField(core::Field::Batch, 32);
    s.setField(core::Field::KvBits, 8);
    s.setModelPreset(QStringLiteral("llama-3.1-70b"));
    QCOMPARE(s.modelPresetId(), QStringLiteral("llama-3.1-70b"));
    QCOMPARE(s.parameters().workload.batch, 32);
    QCOMPARE(s.parameters().precision.kvBits, 8);
    QCOMPARE(s.parameters().model.numLayers, 80);
    QCOMPARE(s.presetParameters().model.numLayers, 80);
    QVERIFY(!s.fieldDiffersFromPreset(core::Field::Layers));
    QVERIFY(s.result(core::Scheme::Mha));
    s.setHardwarePreset(QStringLiteral("mi300x"));
    QCOMPARE(s.hardwarePresetId(), QStringLiteral("mi300x"));
    QCOMPARE(s.parameters().workload.batch, 32);
    // Unknown ids are ignored rather than half-applied.
    const int steps = s.undoStack()->count();
    s.setHardwarePreset(QStringLiteral("no-such-chip"));
    QCOMPARE(s.undoStack()->count(), steps);
    s.undoStack()->undo();
    s.undoStack()->undo();
    QCOMPARE(s.modelPresetId(), QStringLiteral("deepseek-v3"));
    QCOMPARE(s.hardwarePresetId(), QStringLiteral("h100-sxm"));
}

void TestScenario::prefillIsAllowed()
{
    Scenario s;
    s.setField(core::Field::QueryLength, 16);
    s.setPhase(core::Phase::Prefill);
    QVERIFY(s.issues().empty());
    QVERIFY(!s.results().empty());
    QCOMPARE(resultOf(s, core::Scheme::Mha).phase, core::Phase::Prefill);
    QCOMPARE(resultOf(s, core::Scheme::Mha).tokensPerStep, 4096.0);
}

void TestScenario::invalidInputsGiveIssuesNotResults()
{
    Scenario s;
    QSignalSpy results(&s, &Scenario::resultsChanged);
    s.setField(core::Field::KvHeads, 7);  // must divide 128 heads
    QCOMPARE(results.count(), 1);
    QVERIFY(!s.issues().empty());
    QVERIFY(s.results().empty());
    QVERIFY(!s.result(core::Scheme::Mha));
    QCOMPARE(s.issues().front().field, std::string("num_kv_heads"));
    s.undoStack()->undo();
    QVERIFY(s.issues().empty());
    QVERIFY(!s.results().empty());
}

void TestScenario::visibilityAndReference()
{
    Scenario s;
    QSignalSpy presentation(&s, &Scenario::presentationChanged);
    QSignalSpy results(&s, &Scenario::resultsChanged);
    s.setSchemeVisible(core::Scheme::Gqa, true);
    QVERIFY(s.isSchemeVisible(core::Scheme::Gqa));
    QCOMPARE(presentation.count(), 1);
    QCOMPARE(results.count(), 0);
    s.pinReference();
    QVERIFY(s.reference().has_value());
    QCOMPARE(s.referenceResults().size(), s.results().size());
    s.setField(core::Field::DramBandwidth, 10e12);
    QVERIFY(s.reference()->hardware.dramBandwidthBytesPerS != s.parameters().hardware.dramBandwidthBytesPerS);
    s.clearReference();
    QVERIFY(!s.reference());
    QVERIFY(s.referenceResults().empty());
    s.undoStack()->undo();
    QVERIFY(s.reference().has_value());
}

void TestScenario::themeIsNotAnUndoStep()
{
    Scenario s;
    s.setTheme(ui::ThemeId::Dark);
    QCOMPARE(s.viewSettings().theme, ui::ThemeId::Dark);
    QVERIFY(!s.isModified());
    ui::ViewSettings v = s.viewSettings();
    v.showOperators = true;
    s.setViewSettings(v);
    QCOMPARE(s.undoStack()->count(), 1);
    s.undoStack()->undo();
    QVERIFY(!s.viewSettings().showOperators);
    QCOMPARE(s.viewSettings().theme, ui::ThemeId::Dark);
}

void TestScenario::saveOpenRoundTrip()
{
    Scenario s;
    s.setHardwarePreset(QStringLiteral("h200"));
    s.setField(core::Field::DramBandwidth, 5.5e12);
    s.setField(core::Field::KvLength, 32768);
    s.setPhase(core::Phase::Prefill);
    s.setApplyDerates(true);
    s.setSchemeVisible(core::Scheme::MlaNaive, true);
    s.setSchemeVisible(core::Scheme::MlaRecompute, false);
    ui::ViewSettings v = s.viewSettings();
    v.throughputAxis = core::SweepAxis::Batch;
    v.explainOperator = 2;
    s.setViewSettings(v);
    s.setMeasuredPoints({{2.0, 3e12, QStringLiteral("a, \"quoted\" label")}});
    s.pinReference();
    s.setField(core::Field::Batch, 64);
    s.setField(core::Field::TensorParallel, 8);
    s.setField(core::Field::DataParallel, 2);
    s.setScope(core::Scope::Model);
    s.setField(core::Field::ExpertParallel, 16);

    const QString path = m_dir.filePath(QStringLiteral("round.mlastudio.json"));
    QSignalSpy pathSpy(&s, &Scenario::filePathChanged);
    QCOMPARE(s.save(path), QString());
    QVERIFY(!s.isModified());
    QCOMPARE(pathSpy.count(), 1);
    QCOMPARE(s.filePath(), QFileInfo(path).absoluteFilePath());

    Scenario t;
    QCOMPARE(t.open(path), QString());
    QVERIFY(t.toJson() == s.toJson());
    QCOMPARE(t.hardwarePresetId(), QStringLiteral("h200"));
    QVERIFY(t.fieldDiffersFromPreset(core::Field::DramBandwidth));
    QVERIFY(!t.fieldDiffersFromPreset(core::Field::PeakCompute));
    QCOMPARE(t.parameters().workload.phase, core::Phase::Prefill);
    QCOMPARE(t.parameters().parallel.tensor, 8);
    QCOMPARE(t.parameters().parallel.data, 2);
    QCOMPARE(t.parameters().parallel.expert, 16);
    QCOMPARE(t.parameters().scope, core::Scope::Model);
    QVERIFY(resultOf(t, core::Scheme::MlaReuse).attentionTimeShare < 1.0);
    QVERIFY(resultOf(t, core::Scheme::MlaReuse).communicationTimeS > 0.0);
    QVERIFY(t.parameters().applyDerates);
    QVERIFY(t.reference().has_value());
    QCOMPARE(t.reference()->workload.batch, 1);
    QCOMPARE(t.measuredPoints().size(), 1);
    QCOMPARE(t.measuredPoints().front().label, QStringLiteral("a, \"quoted\" label"));
    QCOMPARE(t.viewSettings().throughputAxis, core::SweepAxis::Batch);
    QVERIFY(!t.isModified());
    QCOMPARE(t.undoStack()->count(), 0);
    QCOMPARE(resultOf(t, core::Scheme::Mha).timeS, resultOf(s, core::Scheme::Mha).timeS);

    // The file is the documented format.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const json j = json::parse(f.readAll().toStdString());
    QCOMPARE(j.at("schema").get<std::string>(), std::string("mlastudio.scenario/1"));
    QCOMPARE(j.at("model_preset").get<std::string>(), std::string("deepseek-v3"));
    QCOMPARE(j.at("phase").get<std::string>(), std::string("prefill"));
    QCOMPARE(j.at("parameters").at("scope").get<std::string>(), std::string("model"));
    QCOMPARE(j.at("parameters").at("parallel").at("expert").get<int>(), 16);
    // Reset all keeps the scope, as it keeps the phase and the derates; undo brings the edits back.
    t.resetAllFields();
    QCOMPARE(t.parameters().scope, core::Scope::Model);
    QCOMPARE(t.parameters().parallel.expert, 1);
    t.undoStack()->undo();
    QCOMPARE(t.parameters().parallel.expert, 16);
    // The scope switch is one undo step of its own.
    const int steps = t.undoStack()->index();
    t.setScope(core::Scope::Step);
    QCOMPARE(t.undoStack()->index(), steps + 1);
    QCOMPARE(resultOf(t, core::Scheme::MlaReuse).attentionTimeShare, 1.0);
    t.undoStack()->undo();
    QCOMPARE(t.parameters().scope, core::Scope::Model);
}

void TestScenario::saveKeepsBackup()
{
    Scenario s;
    const QString path = m_dir.filePath(QStringLiteral("backup.mlastudio.json"));
    QCOMPARE(s.save(path), QString());
    QFile first(path);
    QVERIFY(first.open(QIODevice::ReadOnly));
    const QByteArray firstBytes = first.readAll();
    first.close();
    s.setField(core::Field::Batch, 2);
    QVERIFY(s.isModified());
    QCOMPARE(s.save(path), QString());
    QFile backup(path + QLatin1Char('~'));
    QVERIFY(backup.open(QIODevice::ReadOnly));
    QCOMPARE(backup.readAll(), firstBytes);
    Scenario t;
    QCOMPARE(t.open(path), QString());
    QCOMPARE(t.parameters().workload.batch, 2);
}

void TestScenario::malformedFilesAreRejected_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");  // a part of the message naming the problem

    Scenario good;
    const json base = good.toJson();
    auto with = [&](const std::function<void(json &)> &edit) {
        json j = base;
        edit(j);
        return QByteArray::fromStdString(j.dump());
    };
    QTest::newRow("not json") << QByteArray("{ \"schema\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringLiteral("JSON object");
    QTest::newRow("wrong schema") << with([](json &j) { j["schema"] = "mlastudio.scenario/2"; })
                                  << QStringLiteral("schema: unsupported \"mlastudio.scenario/2\"");
    QTest::newRow("missing schema") << with([](json &j) { j.erase("schema"); }) << QStringLiteral("schema: missing");
    QTest::newRow("negative bandwidth")
        << with([](json &j) { j["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"] = -1.0; })
        << QStringLiteral("parameters.hardware.dram_bandwidth_bytes_per_s: must be from 1000 to 1e18 B/s, got -1");
    // Integers beyond 32 bits are reported as typed, never wrapped (4294967297 used to load as 1).
    QTest::newRow("batch 2^32 + 1")
        << with([](json &j) { j["parameters"]["workload"]["batch"] = 4294967297LL; })
        << QStringLiteral("parameters.workload.batch: must be an integer from 1 to 1048576, got 4294967297");
    QTest::newRow("weight bits 2^32 + 16")
        << with([](json &j) { j["parameters"]["precision"]["weight_bits"] = 4294967312LL; })
        << QStringLiteral("parameters.precision.weight_bits: must be 4, 8 or 16, got 4294967312");
    QTest::newRow("hidden size -2^32 + 1")
        << with([](json &j) { j["parameters"]["model"]["hidden_size"] = -4294967295LL; })
        << QStringLiteral("parameters.model.hidden_size: must be an integer from 1 to 1048576, got -4294967295");
    QTest::newRow("kv length 2^64 - 1")
        << with([](json &j) { j["parameters"]["workload"]["kv_length"] = 18446744073709551615ULL; })
        << QStringLiteral("parameters.workload.kv_length: must be an integer from 1 to 1073741824, got 18446744073709551615");
    QTest::newRow("reference batch 2^32 + 1")
        << with([](json &j) { j["reference"] = j["parameters"]; j["reference"]["workload"]["batch"] = 4294967297LL; })
        << QStringLiteral("reference.workload.batch: must be an integer from 1 to 1048576, got 4294967297");
    QTest::newRow("explain operator 2^64 - 1")
        << with([](json &j) { j["view"]["explain_operator"] = 18446744073709551615ULL; })
        << QStringLiteral("view.explain_operator: expected an integer from -1");
    QTest::newRow("denormal derate")
        << with([](json &j) { j["parameters"]["hardware"]["compute_derate"] = 1e-320; })
        << QStringLiteral("parameters.hardware.compute_derate: must be a fraction from 0.01 to 1, got 1e-320");
    QTest::newRow("heads do not divide")
        << with([](json &j) { j["parameters"]["model"]["num_kv_heads"] = 7; })
        << QStringLiteral("parameters.model.num_kv_heads: must divide the number of heads (128), got 7");
    QTest::newRow("bandwidth as string")
        << with([](json &j) { j["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"] = "fast"; })
        << QStringLiteral("dram_bandwidth_bytes_per_s");
    QTest::newRow("unknown scheme") << with([](json &j) { j["visible_schemes"] = {"mha", "flash-mla"}; })
                                    << QStringLiteral("visible_schemes[1]: unknown scheme id \"flash-mla\"");
    QTest::newRow("schemes not array") << with([](json &j) { j["visible_schemes"] = "mha"; })
                                       << QStringLiteral("visible_schemes: expected an array");
    QTest::newRow("bad phase") << with([](json &j) { j["phase"] = "training"; }) << QStringLiteral("phase: expected");
    QTest::newRow("bad axis") << with([](json &j) { j["view"]["throughput_axis"] = "time"; })
                              << QStringLiteral("view.throughput_axis");
    QTest::newRow("bad measured") << with([](json &j) {
        j["measured_points"] = json::array({{{"intensity_flop_per_byte", 1.0}, {"achieved_flops_per_s", 0.0}}});
    }) << QStringLiteral("measured_points[0].achieved_flops_per_s");
    QTest::newRow("bad reference") << with([](json &j) {
        j["reference"] = j["parameters"];
        j["reference"]["model"]["num_heads"] = 0;
    }) << QStringLiteral("reference");
    QTest::newRow("derates not bool") << with([](json &j) { j["apply_derates"] = 1; })
                                      << QStringLiteral("apply_derates: expected true or false");
    QTest::newRow("unknown top-level field")
        << with([](json &j) { j["visible_scheme"] = json::array(); })
        << QStringLiteral("visible_scheme: unknown field; expected one of schema, model_preset");
    QTest::newRow("unknown view field") << with([](json &j) { j["view"]["colour"] = "red"; })
                                        << QStringLiteral("view.colour: unknown field; expected one of throughput_axis");
    QTest::newRow("unknown measured field") << with([](json &j) {
        j["measured_points"] = json::array({{{"intensity_flop_per_byte", 1.0}, {"achieved_flops_per_s", 1e12}, {"lable", "x"}}});
    }) << QStringLiteral("measured_points[0].lable: unknown field; expected one of intensity_flop_per_byte");
    QTest::newRow("unknown parameters field") << with([](json &j) { j["parameters"]["workloads"] = json::object(); })
                                              << QStringLiteral("parameters.workloads: unknown field");
    QTest::newRow("unknown model field") << with([](json &j) { j["parameters"]["model"]["heads"] = 8; })
                                         << QStringLiteral("parameters.model.heads: unknown field; expected one of id");
    QTest::newRow("unknown hardware field")
        << with([](json &j) { j["parameters"]["hardware"]["hbm_bandwidth"] = 1e12; })
        << QStringLiteral("parameters.hardware.hbm_bandwidth: unknown field");
    QTest::newRow("unknown workload field") << with([](json &j) { j["parameters"]["workload"]["kv_lenght"] = 9; })
                                            << QStringLiteral("parameters.workload.kv_lenght: unknown field");
    QTest::newRow("unknown precision field") << with([](json &j) { j["parameters"]["precision"]["bits"] = 8; })
                                             << QStringLiteral("parameters.precision.bits: unknown field");
    QTest::newRow("unknown reference field") << with([](json &j) {
        j["reference"] = j["parameters"];
        j["reference"]["workload"]["size"] = 1;
    }) << QStringLiteral("reference.workload.size: unknown field");
    QTest::newRow("autosave not object") << with([](json &j) { j["autosave"] = "yes"; })
                                         << QStringLiteral("autosave: expected an object");
}

void TestScenario::malformedFilesAreRejected()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("bad-%1.mlastudio.json").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    QVERIFY(writeFile(path, content));

    Scenario s;
    s.setField(core::Field::Batch, 3);
    const json before = s.toJson();
    QSignalSpy results(&s, &Scenario::resultsChanged);
    const QString error = s.open(path);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(s.toJson() == before);
    QCOMPARE(results.count(), 0);
    QCOMPARE(s.undoStack()->count(), 1);
    QVERIFY(s.filePath().isEmpty());
}

void TestScenario::shippedScenariosLoad()
{
    const QDir dir(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios"));
    const QStringList names = dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files);
    QVERIFY(!names.isEmpty());
    for (const QString &name : names) {
        Scenario s;
        const QString error = s.open(dir.filePath(name));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
}

// A hand-written file with only the fields it changes: the rules across fields apply to those
// values merged over the named presets, not over the defaults (whose model has no routed experts).
void TestScenario::handWrittenFileMergesOverItsPresets()
{
    const QString path = m_dir.filePath(QStringLiteral("hand-written-ep.mlastudio.json"));
    QVERIFY(writeFile(path, R"({"schema": "mlastudio.scenario/1", "model_preset": "deepseek-v3",
                                "hardware_preset": "h100-sxm",
                                "parameters": {"scope": "model", "parallel": {"tensor": 8, "expert": 8},
                                               "workload": {"batch": 16}}})"));
    Scenario s;
    const QString error = s.open(path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const core::Parameters &p = s.parameters();
    QCOMPARE(p.parallel.expert, 8);
    QCOMPARE(p.parallel.tensor, 8);
    QCOMPARE(p.workload.batch, 16);
    QCOMPARE(p.scope, core::Scope::Model);
    // The FFN fields the file leaves out come from deepseek-v3's preset file.
    QCOMPARE(p.model.routedExperts, 256);
    QCOMPARE(p.model.expertsPerToken, 8);
    QCOMPARE(QString::fromStdString(p.model.id), QStringLiteral("deepseek-v3"));
    QCOMPARE(QString::fromStdString(p.hardware.id), QStringLiteral("h100-sxm"));
    QVERIFY(!s.results().empty());
    QVERIFY(s.issues().empty());
}

void TestScenario::handWrittenFileStillNamesBadValues()
{
    // 3 divides neither deepseek-v3's 256 experts nor the 8 devices: rejected, naming what was typed.
    const QString path = m_dir.filePath(QStringLiteral("hand-written-bad-ep.mlastudio.json"));
    QVERIFY(writeFile(path, R"({"schema": "mlastudio.scenario/1", "model_preset": "deepseek-v3",
                                "hardware_preset": "h100-sxm",
                                "parameters": {"scope": "model", "parallel": {"tensor": 8, "expert": 3}}})"));
    Scenario s;
    s.setField(core::Field::Batch, 3);
    const json before = s.toJson();
    const QString error = s.open(path);
    QVERIFY2(error.contains(QStringLiteral("parameters.parallel.expert: must divide the number of routed experts (256), got 3")),
             qPrintable(error));
    QVERIFY(s.toJson() == before);
}

void TestScenario::undoHistoryIsCapped()
{
    Scenario s;
    QCOMPARE(s.undoStack()->undoLimit(), ui::kUndoLimit);
    for (int i = 0; i < ui::kUndoLimit + 50; ++i) {
        s.setField(core::Field::Batch, 1 + i % 7);
        s.endMerge();
    }
    QCOMPARE(s.undoStack()->count(), ui::kUndoLimit);
    QVERIFY(s.isModified());  // the clean state fell off the history: still modified
}

void TestScenario::specialFilesAreRefused()
{
    // A directory, a FIFO and a link to a FIFO are named for what they are, at once, and nothing changes.
    const QString dir = m_dir.filePath(QStringLiteral("folder.mlastudio.json"));
    QVERIFY(QDir().mkpath(dir));
    const QString fifo = m_dir.filePath(QStringLiteral("pipe.mlastudio.json"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString link = m_dir.filePath(QStringLiteral("link.mlastudio.json"));
    QVERIFY(QFile::link(fifo, link));

    Scenario s;
    s.setField(core::Field::Batch, 3);
    const json before = s.toJson();
    QString error = s.open(dir);
    QVERIFY2(error.startsWith(dir + QStringLiteral(": is a directory")), qPrintable(error));
    for (const QString &path : {fifo, link}) {
        QVERIFY(readsWithoutBlocking(fifo, [&] { error = s.open(path); }));
        QVERIFY2(error == path + QStringLiteral(": is a FIFO, not a regular file"), qPrintable(error));
    }
    QVERIFY(s.toJson() == before);
    QVERIFY(s.filePath().isEmpty());

    QVERIFY(readsWithoutBlocking(fifo, [&] { QVERIFY(ui::readMeasuredCsv(fifo, &error).isEmpty()); }));
    QVERIFY2(error == fifo + QStringLiteral(": is a FIFO, not a regular file"), qPrintable(error));
    QVERIFY(ui::readMeasuredCsv(dir, &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("is a directory")), qPrintable(error));
}

void TestScenario::tooLargeFileIsRejected()
{
    const QString path = m_dir.filePath(QStringLiteral("huge.mlastudio.json"));
    QByteArray bytes = "{\"schema\": \"mlastudio.scenario/1\", \"pad\": \"";
    bytes += QByteArray(ui::kMaxScenarioBytes, 'x');
    bytes += "\"}";
    QVERIFY(writeFile(path, bytes));
    Scenario s;
    const json before = s.toJson();
    const QString error = s.open(path);
    QVERIFY2(error.contains(QStringLiteral("4194304-byte limit")), qPrintable(error));
    QVERIFY(s.toJson() == before);
    QVERIFY(s.open(m_dir.filePath(QStringLiteral("missing.mlastudio.json"))).contains(QStringLiteral("no such file")));
}

void TestScenario::unwritableSavePath()
{
    Scenario s;
    s.setField(core::Field::Batch, 5);
    const QString missingDir = m_dir.filePath(QStringLiteral("no/such/dir/x.mlastudio.json"));
    const QString error = s.save(missingDir);
    QVERIFY2(error.contains(missingDir), qPrintable(error));
    QVERIFY(!QFileInfo::exists(missingDir));
    QVERIFY(s.isModified());
    QVERIFY(s.filePath().isEmpty());

    const QString roDir = m_dir.filePath(QStringLiteral("readonly"));
    QVERIFY(QDir().mkpath(roDir));
    QVERIFY(QFile::setPermissions(roDir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const QString roPath = roDir + QStringLiteral("/x.mlastudio.json");
    QFile probe(roDir + QStringLiteral("/probe"));
    if (probe.open(QIODevice::WriteOnly)) {
        probe.close();
        probe.remove();
        QFile::setPermissions(roDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QSKIP("running with privileges that ignore directory permissions");
    }
    QVERIFY(!s.save(roPath).isEmpty());
    QVERIFY(QDir(roDir).entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty());
    QVERIFY(s.isModified());
    QFile::setPermissions(roDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

void TestScenario::newScenarioRestoresDefaults()
{
    Scenario s;
    const json fresh = s.toJson();
    s.setModelPreset(QStringLiteral("deepseek-v2"));
    s.setField(core::Field::Batch, 9);
    QCOMPARE(s.save(m_dir.filePath(QStringLiteral("n.mlastudio.json"))), QString());
    s.newScenario();
    QVERIFY(s.toJson() == fresh);
    QVERIFY(s.filePath().isEmpty());
    QCOMPARE(s.undoStack()->count(), 0);
}

void TestScenario::measuredCsvGood()
{
    QString error;
    const QVector<ui::MeasuredPoint> points = ui::readMeasuredCsv(dataFile("measured-good.csv"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(points.size(), 2);
    QCOMPARE(points[0].intensityFlopPerByte, 1.9);
    QCOMPARE(points[0].achievedFlopsPerS, 5.6e12);
    QCOMPARE(points[1].label, QStringLiteral("mla reuse, absorbed"));

    // Column order is free, label optional, CRLF and a BOM are fine.
    const QVector<ui::MeasuredPoint> reordered = ui::parseMeasuredCsv(
        QStringLiteral("\uFEFFachieved_flops_per_s,intensity_flop_per_byte\r\n1e12,3\r\n"), QStringLiteral("x.csv"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(reordered.size(), 1);
    QCOMPARE(reordered[0].intensityFlopPerByte, 3.0);
    QCOMPARE(reordered[0].achievedFlopsPerS, 1e12);

    Scenario s;
    s.setMeasuredPoints(points);
    QCOMPARE(s.measuredPoints(), points);
    QCOMPARE(s.undoStack()->count(), 1);
}

void TestScenario::measuredCsvBad_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no header") << QStringLiteral("1.9,5.6e12,mha\n") << QStringLiteral("x.csv:1: expected a header row");
    QTest::newRow("empty") << QString() << QStringLiteral("x.csv:1: the file is empty");
    QTest::newRow("bad number") << QStringLiteral("intensity_flop_per_byte,achieved_flops_per_s,label\n1,2,a\n2.5,fast,b\n")
                                << QStringLiteral("x.csv:3: column 2 (achieved_flops_per_s): expected a finite number > 0, got \"fast\"");
    QTest::newRow("negative") << QStringLiteral("intensity_flop_per_byte,achieved_flops_per_s\n-1,2\n")
                              << QStringLiteral("x.csv:2: column 1 (intensity_flop_per_byte)");
    QTest::newRow("short row") << QStringLiteral("intensity_flop_per_byte,achieved_flops_per_s,label\n1\n")
                               << QStringLiteral("x.csv:2: expected at least 3 columns, got 1");
    QTest::newRow("open quote") << QStringLiteral("intensity_flop_per_byte,achieved_flops_per_s,label\n1,2,\"abc\n")
                                << QStringLiteral("x.csv:2: unterminated double quote");
}

void TestScenario::measuredCsvBad()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    const QVector<ui::MeasuredPoint> points = ui::parseMeasuredCsv(text, QStringLiteral("x.csv"), &error);
    QVERIFY(points.isEmpty());
    QVERIFY2(error.startsWith(expected), qPrintable(error));

    QString fileError;
    QVERIFY(ui::readMeasuredCsv(dataFile("measured-bad-number.csv"), &fileError).isEmpty());
    QVERIFY2(fileError.contains(QStringLiteral("measured-bad-number.csv:3: column 2")), qPrintable(fileError));
    QVERIFY(ui::readMeasuredCsv(dataFile("measured-no-header.csv"), &fileError).isEmpty());
    QVERIFY2(fileError.contains(QStringLiteral("header")), qPrintable(fileError));
}

QTEST_MAIN(TestScenario)
#include "tst_scenario.moc"
