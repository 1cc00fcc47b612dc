// SPDX-License-Identifier: MIT
// Command-line round trips: the real executable, real files, real exit codes.
#include "../core/testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/presets.h"
#include "mlastudio/core/report.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QXmlStreamReader>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace mlastudio::core;
using nlohmann::json;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

/**
 * Runs the real executable. A run that does not finish within \p limitMs is killed and reported as
 * code -1 with "timed out" in err, so a hang (on a FIFO, say) fails the test instead of stalling it.
 */
Run run(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        int limitMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MLASTUDIO_BINARY), args);
    if (!p.waitForFinished(limitMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, {}, QStringLiteral("timed out")};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// An environment whose user data (and so user presets) live under \p home.
QProcessEnvironment homeAt(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    return env;
}

QString userPresetDir(const QString &home, const char *kind)
{
    return home + QStringLiteral("/data/MLA Studio/mla-studio/presets/") + QLatin1String(kind);
}

json h100Json()
{
    QFile src(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/hardware/h100-sxm.json"));
    if (!src.open(QIODevice::ReadOnly))
        qFatal("cannot read the H100 preset");
    return json::parse(src.readAll().toStdString());
}

bool writeText(const QString &path, const std::string &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.data(), qint64(text.size())) == qint64(text.size());
}

bool makeFifo(const QString &path)
{
    return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
}

Parameters presetParams(const std::string &model, const std::string &hardware)
{
    Parameters p;
    p.model = loadModelPresetFile(std::string(MLASTUDIO_SOURCE_DIR) + "/presets/models/" + model + ".json").config;
    p.hardware = loadHardwarePresetFile(std::string(MLASTUDIO_SOURCE_DIR) + "/presets/hardware/" + hardware + ".json").config;
    return p;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void helpListsSubcommands();
    void presetsListsIds();
    void evaluateJsonRoundTrip();
    void evaluateOverridesAndPrecision();
    void evaluateAutoSaysWhatItPicked();
    void evaluateCsvAndTable();
    void evaluateParallelJson();
    void sweepRowsEqualEvaluate();
    void sweepIntegerAxisAndJson();
    void sweepErrors_data();
    void sweepErrors();
    void presetFileByPath();
    void presetFileRangesInFileUnits();
    void specialFilesDoNotHang();
    void userPresetFolderSkipsSpecialFiles();
    void duplicateUserPresetIds();
    void errors_data();
    void errors();
    void exportFormats();
    void exportErrors();
    void figuresRenderTheDefaultSet();
    void galleryScenariosLoad();
};

void TestCli::helpListsSubcommands()
{
    const Run r = run({QStringLiteral("--help")});
    QCOMPARE(r.code, 0);
    for (const char *cmd : {"presets", "evaluate"})
        QVERIFY(r.out.contains(QLatin1String(cmd)));
    const Run e = run({QStringLiteral("evaluate"), QStringLiteral("--help")});
    QCOMPARE(e.code, 0);
    for (const char *opt : {"--model", "--hardware", "--scheme", "--phase", "--batch", "--seq-len", "--query-len",
                            "--weight-bits", "--kv-bits", "--act-bits", "--bandwidth-gbs", "--compute-tflops",
                            "--sram-mib", "--kv-lora-rank", "--rope-dim", "--heads", "--format", "--derate"})
        QVERIFY2(e.out.contains(QLatin1String(opt)), opt);
}

void TestCli::presetsListsIds()
{
    const Run r = run({QStringLiteral("presets"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const json j = json::parse(r.out.toStdString());
    std::vector<std::string> ids;
    for (const json &m : j["models"])
        ids.push_back(m["id"]);
    for (const json &h : j["hardware"])
        ids.push_back(h["id"]);
    for (const char *id : {"deepseek-v3", "deepseek-v2", "deepseek-v2-lite", "deepseek-r1", "kimi-k2", "llama-3.1-70b",
                           "h100-sxm", "a100-80gb", "h800", "h200", "b200", "mi300x", "tpu-v5e", "tpu-v5p", "gaudi3",
                           "jetson-agx-orin", "cloud-template", "edge-template"})
        QVERIFY2(std::find(ids.begin(), ids.end(), id) != ids.end(), id);
}

void TestCli::evaluateJsonRoundTrip()
{
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(QString::fromStdString(j["schema"]), QStringLiteral("mlastudio.evaluate/1"));
    // Defaults: DeepSeek-V3, H100 SXM, all schemes, decode, B = 1, L = 4096, 16-bit.
    const Parameters p = presetParams("deepseek-v3", "h100-sxm");
    QCOMPARE(j["results"].size(), kAllSchemes.size());
    for (const json &res : j["results"]) {
        const Scheme s = *schemeFromId(res["scheme"].get<std::string>());
        const StepResult expected = evaluate(p, s);
        for (const char *key : {"flops", "dram_bytes", "sram_bytes", "time_s", "tokens_per_s", "energy_j",
                                "energy_per_token_j", "intensity_flop_per_byte", "kv_cache_bytes_per_token"})
            QVERIFY2(res.contains(key), key);
        QCOMPARE(res["phase"].get<std::string>(), std::string("decode"));
        QCOMPARE(res["time_s"].get<double>(), expected.timeS);
        QCOMPARE(res["flops"].get<double>(), expected.flops);
        QCOMPARE(res["kv_cache_bytes_per_token"].get<double>(), expected.kvCacheBytesPerToken);
        QCOMPARE(res["bound"].get<std::string>(), std::string(boundId(expected.bound)));
        QCOMPARE(res["operators"].size(), expected.operators.size());
        for (const json &op : res["operators"])
            for (const char *key : {"name", "flops", "dram_bytes", "sram_bytes", "time_s", "energy_j", "bound"})
                QVERIFY2(op.contains(key), key);
    }
    // The parameters block holds every input: read over a base that differs from it in every field,
    // it gives back exactly what was evaluated (a field the block lacks would keep the base's value).
    const Parameters base = testutil::distinctParameters();
    QVERIFY(parametersToJson(base)["model"] != j["parameters"]["model"]);
    const Parameters back = parametersFromJson(j["parameters"], base);
    QCOMPARE(QString::fromStdString(parametersToJson(back).dump()), QString::fromStdString(parametersToJson(p).dump()));
    QCOMPARE(evaluate(back, Scheme::MlaReuse).timeS, evaluate(p, Scheme::MlaReuse).timeS);
}

void TestCli::evaluateOverridesAndPrecision()
{
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"),
                       QStringLiteral("--bandwidth-gbs"), QStringLiteral("6700"), QStringLiteral("--kv-bits"),
                       QStringLiteral("8"), QStringLiteral("--batch"), QStringLiteral("32"), QStringLiteral("--seq-len"),
                       QStringLiteral("32768"), QStringLiteral("--sram-mib"), QStringLiteral("0"),
                       QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["results"].size(), std::size_t(1));
    Parameters p = presetParams("deepseek-v3", "h100-sxm");
    p.hardware.dramBandwidthBytesPerS = 6700e9;
    p.hardware.sramCapacityBytes = 0;
    p.precision.kvBits = 8;
    p.workload.batch = 32;
    p.workload.kvLength = 32768;
    const StepResult expected = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(j["results"][0]["time_s"].get<double>(), expected.timeS);
    QCOMPARE(j["results"][0]["kv_cache_bytes_per_token"].get<double>(), 35136.0);  // 576·61·1 B
    QCOMPARE(j["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"].get<double>(), 6700e9);
}

void TestCli::evaluateAutoSaysWhatItPicked()
{
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("auto"),
                       QStringLiteral("--phase"), QStringLiteral("prefill"), QStringLiteral("--seq-len"),
                       QStringLiteral("8192"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const json res = json::parse(r.out.toStdString())["results"][0];
    QVERIFY(res["auto_selected"].get<bool>());
    QCOMPARE(res["scheme"].get<std::string>(), std::string("mla-recompute"));
    QCOMPARE(res["phase"].get<std::string>(), std::string("prefill"));
}

void TestCli::evaluateCsvAndTable()
{
    const Run csv = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse"),
                         QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(csv.code, 0);
    const QStringList lines = csv.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.first().startsWith(QLatin1String("scheme,phase,operator,flops")));
    QCOMPARE(lines.filter(QStringLiteral(",total,")).size(), 2);
    const Run table = run({QStringLiteral("evaluate"), QStringLiteral("--model"), QStringLiteral("llama-3.1-70b")});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.contains(QLatin1String("gqa")));
    QVERIFY(!table.out.contains(QLatin1String("mla-reuse ")));      // not applicable: skipped...
    QVERIFY(table.err.contains(QLatin1String("latent rank")));     // ...and said so
}

namespace {

// The columns of sweep's CSV taken from evaluate's "total" row of one scheme.
QString evaluateRow(const QString &csv, const QString &scheme)
{
    for (const QString &line : csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList c = line.split(QLatin1Char(','));
        // scheme,phase,operator,flops,dram_bytes,sram_bytes,time_s,energy_j,intensity,bound,tokens_per_s,energy_per_token_j,kv
        if (c.size() == 13 && c[0] == scheme && c[2] == QLatin1String("total"))
            return QStringList{c[6], c[10], c[11], c[3], c[4], c[9]}.join(QLatin1Char(','));
    }
    return {};
}

} // namespace

void TestCli::evaluateParallelJson()
{
    // DeepSeek-V3 on 8 H100s (TP = 8) in 2 data-parallel groups, B = 3: the latent stays whole on each
    // device, the all-reduce is reported, and one group serves 2 requests.
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--tp"), QStringLiteral("8"), QStringLiteral("--dp"),
                       QStringLiteral("2"), QStringLiteral("--batch"), QStringLiteral("3"), QStringLiteral("--scheme"),
                       QStringLiteral("mha,mla-reuse"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["parameters"]["parallel"]["tensor"].get<int>(), 8);
    QCOMPARE(j["parameters"]["parallel"]["data"].get<int>(), 2);
    const json &mha = j["results"][0], &mla = j["results"][1];
    QCOMPARE(mha["per_device"]["kv_cache_bytes_per_token"].get<double>(), 3997696.0 / 8);
    QCOMPARE(mla["per_device"]["kv_cache_bytes_per_token"].get<double>(), 70272.0);
    QCOMPARE(mla["devices"].get<int>(), 16);
    QCOMPARE(mla["idle_devices"].get<int>(), 0);
    // 2 tokens (the busier group) × 7168 × 2 B per layer over 450 GB/s NVLink, 0.47 µs per hop.
    const double perLayer = 2.0 * 7 / 8 * (2 * 7168 * 2) / 450e9 + 7 * 0.47e-6;
    QVERIFY(std::fabs(mla["communication_time_s"].get<double>() - 61 * perLayer) < 1e-15);
    QCOMPARE(mla["operators"].back()["name"].get<std::string>(), std::string("all_reduce"));
    QCOMPARE(mla["tokens_per_s"].get<double>(), 3.0 / mla["time_s"].get<double>());
    QVERIFY(mla["per_device"]["max_batch"].get<long long>() * 2 == mla["max_batch"].get<long long>());
    // Without parallelism nothing is exchanged.
    const Run one = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"),
                         QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json::parse(one.out.toStdString())["results"][0]["communication_time_s"].get<double>(), 0.0);
}

void TestCli::sweepRowsEqualEvaluate()
{
    // A log sweep of DRAM bandwidth with other options fixed; sampled rows against separate evaluate runs.
    const QStringList common = {QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse"), QStringLiteral("--batch"),
                                QStringLiteral("4"), QStringLiteral("--seq-len"), QStringLiteral("2048"),
                                QStringLiteral("--derate"), QStringLiteral("--hardware"), QStringLiteral("h800")};
    const Run sw = run(QStringList{QStringLiteral("sweep"), QStringLiteral("--axis"), QStringLiteral("bandwidth-gbs"),
                                   QStringLiteral("--from"), QStringLiteral("100"), QStringLiteral("--to"),
                                   QStringLiteral("20000"), QStringLiteral("--points"), QStringLiteral("37"),
                                   QStringLiteral("--log")} + common);
    QVERIFY2(sw.code == 0, qPrintable(sw.err));
    const QStringList lines = sw.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("bandwidth-gbs,scheme,time_s,tokens_per_s,energy_per_token_j,flops,dram_bytes,bound,fits_in_dram"));
    QCOMPARE(lines.size(), 1 + 37 * 2);
    for (int row : {1, 2, 20, 39, 73, 74}) {
        const QStringList c = lines.at(row).split(QLatin1Char(','));
        QCOMPARE(c.size(), 9);
        const Run ev = run(QStringList{QStringLiteral("evaluate"), QStringLiteral("--format"), QStringLiteral("csv"),
                                       QStringLiteral("--bandwidth-gbs"), c[0]} + common);
        QVERIFY2(ev.code == 0, qPrintable(ev.err));
        QCOMPARE(c.mid(2, 6).join(QLatin1Char(',')), evaluateRow(ev.out, c[1]));
        const Run js = run(QStringList{QStringLiteral("evaluate"), QStringLiteral("--format"), QStringLiteral("json"),
                                       QStringLiteral("--scheme"), c[1], QStringLiteral("--bandwidth-gbs"), c[0]} + common.mid(2));
        QCOMPARE(c[8], json::parse(js.out.toStdString())["results"][0]["fits_in_dram"].get<bool>() ? QStringLiteral("true")
                                                                                                   : QStringLiteral("false"));
    }
    QCOMPARE(lines.at(1).section(QLatin1Char(','), 0, 0), QStringLiteral("100"));
    QCOMPARE(lines.last().section(QLatin1Char(','), 0, 0), QStringLiteral("20000"));
}

void TestCli::sweepIntegerAxisAndJson()
{
    // A model field stepping by whole values: 64..576 in 5 points = 64, 192, 320, 448, 576.
    const Run sw = run({QStringLiteral("sweep"), QStringLiteral("--axis"), QStringLiteral("kv-lora-rank"), QStringLiteral("--from"),
                        QStringLiteral("64"), QStringLiteral("--to"), QStringLiteral("576"), QStringLiteral("--points"),
                        QStringLiteral("5"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--format"),
                        QStringLiteral("json")});
    QVERIFY2(sw.code == 0, qPrintable(sw.err));
    const json j = json::parse(sw.out.toStdString());
    QCOMPARE(j["schema"].get<std::string>(), std::string("mlastudio.sweep/1"));
    QCOMPARE(j["axis"]["values"], json::parse("[64,192,320,448,576]"));
    QCOMPARE(j["rows"].size(), std::size_t(5));
    QCOMPARE(j["rows"][2]["kv-lora-rank"].get<double>(), 320.0);
    const Run ev = run({QStringLiteral("evaluate"), QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--scheme"),
                        QStringLiteral("mla-reuse"), QStringLiteral("--kv-lora-rank"), QStringLiteral("320")});
    const json e = json::parse(ev.out.toStdString())["results"][0];
    QCOMPARE(j["rows"][2]["time_s"].get<double>(), e["time_s"].get<double>());
    QCOMPARE(j["rows"][2]["dram_bytes"].get<double>(), e["dram_bytes"].get<double>());
    // Whole values only: 1..4 heads in 10 points gives 4 rows, not 10.
    const Run heads = run({QStringLiteral("sweep"), QStringLiteral("--axis"), QStringLiteral("batch"), QStringLiteral("--from"),
                           QStringLiteral("1"), QStringLiteral("--to"), QStringLiteral("4"), QStringLiteral("--points"),
                           QStringLiteral("10"), QStringLiteral("--scheme"), QStringLiteral("mha")});
    QVERIFY2(heads.code == 0, qPrintable(heads.err));
    QCOMPARE(heads.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 5);
    // A point that cannot be evaluated (S = 600 > L) is left out and named on stderr.
    const Run gap = run({QStringLiteral("sweep"), QStringLiteral("--axis"), QStringLiteral("seq-len"), QStringLiteral("--from"),
                         QStringLiteral("512"), QStringLiteral("--to"), QStringLiteral("1024"), QStringLiteral("--points"),
                         QStringLiteral("2"), QStringLiteral("--query-len"), QStringLiteral("600"), QStringLiteral("--scheme"),
                         QStringLiteral("mla-reuse")});
    QVERIFY2(gap.code == 0, qPrintable(gap.err));
    QCOMPARE(gap.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 2);
    QVERIFY2(gap.err.contains(QLatin1String("--seq-len 512 skipped: --query-len")), qPrintable(gap.err));
}

void TestCli::sweepErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString a = QStringLiteral("--axis"), f = QStringLiteral("--from"), t = QStringLiteral("--to");
    QTest::newRow("no axis") << QStringList{f, "1", t, "2"} << "--axis: expected";
    QTest::newRow("unknown axis") << QStringList{a, "seqlen", f, "1", t, "2"} << "--axis: unknown field 'seqlen'";
    QTest::newRow("no from") << QStringList{a, "batch", t, "2"} << "--from: expected the first value of --axis batch";
    QTest::newRow("text to") << QStringList{a, "batch", f, "1", t, "lots"} << "--to: expected a number, got 'lots'";
    QTest::newRow("from out of range") << QStringList{a, "bandwidth-gbs", f, "0", t, "10"} << "--from: --bandwidth-gbs must be from";
    QTest::newRow("zero points") << QStringList{a, "batch", f, "1", t, "2", "--points", "0"} << "--points: expected an integer from 1";
    QTest::newRow("log through 0") << QStringList{a, "sram-mib", f, "0", t, "64", "--log"} << "--from/--to/--points/--log: a log sweep needs ends greater than 0";
    QTest::newRow("axis given as option") << QStringList{a, "batch", f, "1", t, "2", "--batch", "3"} << "--batch: is the sweep axis";
    QTest::newRow("table format") << QStringList{a, "batch", f, "1", t, "2", "--format", "table"} << "--format: expected csv or json";
    QTest::newRow("bad override") << QStringList{a, "batch", f, "1", t, "2", "--heads", "0"} << "--heads: must be";
}

void TestCli::sweepErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(QStringList{QStringLiteral("sweep")} + args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::presetFileByPath()
{
    QTemporaryDir dir;
    QFile src(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/hardware/h100-sxm.json"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    json j = json::parse(src.readAll().toStdString());
    j["id"] = "my-gpu";
    j["dram"]["bandwidth"]["value"] = 1000;
    const QString path = dir.filePath(QStringLiteral("my-gpu.json"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(j.dump()));
    out.close();
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), path, QStringLiteral("--format"),
                       QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    QCOMPARE(json::parse(r.out.toStdString())["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"].get<double>(), 1e12);

    j["dram"]["bandwidth"]["unit"] = "GB";
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(QByteArray::fromStdString(j.dump()));
    out.close();
    const Run bad = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), path});
    QCOMPARE(bad.code, 1);
    QVERIFY(bad.err.contains(path));
    QVERIFY(bad.err.contains(QLatin1String("dram.bandwidth.unit")));
    QVERIFY(bad.out.isEmpty());
}

void TestCli::presetFileRangesInFileUnits()
{
    // A preset is range-checked with the shared limits, in the unit the file uses, before conversion.
    QTemporaryDir dir;
    const QString hwPath = dir.filePath(QStringLiteral("slow-gpu.json"));
    json hw = h100Json();
    hw["derate"]["compute"]["value"] = 1e-320;
    QVERIFY(writeText(hwPath, hw.dump()));
    Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), hwPath});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(hwPath + QStringLiteral(": derate.compute.value: must be a fraction from 0.01 to 1, got 1e-320")),
             qPrintable(r.err));
    hw = h100Json();
    hw["energy"]["mac_bf16"]["value"] = 2e6; // in pJ, as the file says
    QVERIFY(writeText(hwPath, hw.dump()));
    r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), hwPath});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("energy.mac_bf16.value: must be 0 or from 1e-6 to 1e6 pJ, got 2e6 pJ")), qPrintable(r.err));

    QFile src(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/models/deepseek-v3.json"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    json model = json::parse(src.readAll().toStdString());
    model["hidden_size"] = 4294967297LL; // wrapped to 1 by a plain get<int>()
    const QString modelPath = dir.filePath(QStringLiteral("wide.json"));
    QVERIFY(writeText(modelPath, model.dump()));
    r = run({QStringLiteral("evaluate"), QStringLiteral("--model"), modelPath});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(modelPath + QStringLiteral(": hidden_size: must be an integer from 1 to 1048576, got 4294967297")),
             qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::specialFilesDoNotHang()
{
    // A FIFO given as a preset or a scenario is refused at once (stat before open), never opened.
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("pipe.json"));
    QVERIFY(makeFifo(fifo));
    const QProcessEnvironment env = homeAt(dir.path());
    Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), fifo}, env, 20000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(fifo + QStringLiteral(": is a FIFO, not a regular file")), qPrintable(r.err));
    r = run({QStringLiteral("evaluate"), QStringLiteral("--model"), fifo}, env, 20000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(fifo + QStringLiteral(": is a FIFO, not a regular file")), qPrintable(r.err));

    const QString png = dir.filePath(QStringLiteral("out.png"));
    r = run({QStringLiteral("export"), fifo, QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), png},
            env, 20000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(fifo + QStringLiteral(": is a FIFO, not a regular file")), qPrintable(r.err));
    QVERIFY(!QFile::exists(png));
    r = run({QStringLiteral("figures"), QStringLiteral("--scenario"), dir.path(), QStringLiteral("--out"), dir.filePath(QStringLiteral("f"))},
            env, 20000);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(dir.path() + QStringLiteral(": is a directory")), qPrintable(r.err));
}

void TestCli::userPresetFolderSkipsSpecialFiles()
{
    // A FIFO, a link to a FIFO and a folder named *.json in the user preset folder are skipped with a
    // warning; the good user preset next to them still loads.
    QTemporaryDir home;
    const QString hwDir = userPresetDir(home.path(), "hardware");
    QVERIFY(QDir().mkpath(hwDir));
    QVERIFY(makeFifo(home.filePath(QStringLiteral("pipe"))));
    QVERIFY(makeFifo(hwDir + QStringLiteral("/fifo.json")));
    QVERIFY(QFile::link(home.filePath(QStringLiteral("pipe")), hwDir + QStringLiteral("/link.json")));
    QVERIFY(QDir().mkpath(hwDir + QStringLiteral("/folder.json")));
    json good = h100Json();
    good["id"] = "my-gpu";
    QVERIFY(writeText(hwDir + QStringLiteral("/my-gpu.json"), good.dump()));
    const QProcessEnvironment env = homeAt(home.path());

    for (const QStringList &args : {QStringList{QStringLiteral("presets")},
                                    QStringList{QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("my-gpu")}}) {
        const Run r = run(args, env, 20000);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("warning: %1/fifo.json: skipped: is a FIFO, not a regular file").arg(hwDir)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("warning: %1/link.json: skipped: is a FIFO, not a regular file").arg(hwDir)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("warning: %1/folder.json: skipped: is a directory").arg(hwDir)), qPrintable(r.err));
        if (args.first() == QLatin1String("presets"))
            QVERIFY(r.out.contains(QLatin1String("my-gpu")));
    }
}

void TestCli::duplicateUserPresetIds()
{
    // Two user files with one id: both are named, and the one whose name sorts last is used.
    QTemporaryDir home;
    const QString hwDir = userPresetDir(home.path(), "hardware");
    QVERIFY(QDir().mkpath(hwDir));
    json a = h100Json();
    a["id"] = "twin";
    a["dram"]["bandwidth"]["value"] = 1000;
    json b = a;
    b["dram"]["bandwidth"]["value"] = 2000;
    QVERIFY(writeText(hwDir + QStringLiteral("/a.json"), a.dump()));
    QVERIFY(writeText(hwDir + QStringLiteral("/b.json"), b.dump()));
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("twin"), QStringLiteral("--format"),
                       QStringLiteral("json")},
                      homeAt(home.path()), 20000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("%1/b.json: hardware preset id \"twin\" is also defined by %1/a.json; using %1/b.json")
                                .arg(hwDir)),
             qPrintable(r.err));
    QCOMPARE(json::parse(r.out.toStdString())["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"].get<double>(), 2000e9);
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero bandwidth") << QStringList{QStringLiteral("--bandwidth-gbs"), QStringLiteral("0")} << 2 << "--bandwidth-gbs";
    QTest::newRow("nan compute") << QStringList{QStringLiteral("--compute-tflops"), QStringLiteral("nan")} << 2 << "--compute-tflops";
    QTest::newRow("text batch") << QStringList{QStringLiteral("--batch"), QStringLiteral("many")} << 2 << "--batch";
    QTest::newRow("6-bit") << QStringList{QStringLiteral("--kv-bits"), QStringLiteral("6")} << 2 << "4, 8 or 16";
    QTest::newRow("unknown scheme") << QStringList{QStringLiteral("--scheme"), QStringLiteral("mla-fast")} << 2 << "mla-fast";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bandwith-gbs"), QStringLiteral("1")} << 2 << "bandwith";
    QTest::newRow("unknown model") << QStringList{QStringLiteral("--model"), QStringLiteral("gpt-9")} << 1 << "gpt-9";
    QTest::newRow("zero latent") << QStringList{QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--kv-lora-rank"), QStringLiteral("0")} << 1 << "--kv-lora-rank: mla-reuse needs a latent rank";
    QTest::newRow("heads do not divide") << QStringList{QStringLiteral("--kv-heads"), QStringLiteral("7")} << 1 << "--kv-heads: must divide the number of heads (128), got 7";
    QTest::newRow("tp does not divide heads") << QStringList{QStringLiteral("--tp"), QStringLiteral("3")} << 1 << "--tp: must divide the number of heads (128), got 3";
    QTest::newRow("tp 0") << QStringList{QStringLiteral("--tp"), QStringLiteral("0")} << 2 << "--tp: must be an integer from 1 to 4096, got 0";
    QTest::newRow("dp negative") << QStringList{QStringLiteral("--dp=-2")} << 2 << "--dp: must be an integer from 1 to 65536, got -2";
    QTest::newRow("tp without a link") << QStringList{QStringLiteral("--tp"), QStringLiteral("2"), QStringLiteral("--hardware"), QStringLiteral("l40s")} << 1 << "--link-gbs: must be greater than 0 for tensor parallelism";
    QTest::newRow("query longer than cache") << QStringList{QStringLiteral("--query-len"), QStringLiteral("9000")} << 1 << "--query-len: must be at most the KV length (4096), got 9000";
    // Errors in the user's words: the option as typed, the value and the range in the option's units.
    QTest::newRow("MAC energy in pJ") << QStringList{QStringLiteral("--energy-mac-pj=1e12")} << 2 << "--energy-mac-pj: must be 0 or from 1e-6 to 1e6 pJ, got 1e12 pJ";
    QTest::newRow("DRAM energy in pJ/bit") << QStringList{QStringLiteral("--energy-dram-pj-bit"), QStringLiteral("2e5")} << 2 << "--energy-dram-pj-bit: must be 0 or from 1.25e-7 to 125000 pJ/bit, got 2e5 pJ/bit";
    QTest::newRow("bandwidth in GB/s") << QStringList{QStringLiteral("--bandwidth-gbs"), QStringLiteral("1e10")} << 2 << "--bandwidth-gbs: must be from 1e-6 to 1e9 GB/s, got 1e10 GB/s";
    // Denormal factors would make times infinite: refused.
    QTest::newRow("denormal compute derate") << QStringList{QStringLiteral("--compute-derate"), QStringLiteral("1e-320")} << 2 << "--compute-derate: must be a fraction from 0.01 to 1, got 1e-320";
    QTest::newRow("denormal bandwidth derate") << QStringList{QStringLiteral("--bandwidth-derate=4.9e-324")} << 2 << "--bandwidth-derate: must be a fraction from 0.01 to 1, got 4.9e-324";
    QTest::newRow("denormal static power") << QStringList{QStringLiteral("--static-power-w"), QStringLiteral("1e-310")} << 2 << "--static-power-w: must be 0 or from 0.001 to 1e9 W, got 1e-310 W";
    // Integers beyond 32 bits are refused as typed, never wrapped.
    QTest::newRow("batch 2^32 + 1") << QStringList{QStringLiteral("--batch"), QStringLiteral("4294967297")} << 2 << "--batch: must be an integer from 1 to 1048576, got 4294967297";
    QTest::newRow("seq-len 2^64 + 1") << QStringList{QStringLiteral("--seq-len"), QStringLiteral("18446744073709551617")} << 2 << "--seq-len: must be an integer from 1 to 1073741824, got '18446744073709551617'";
    QTest::newRow("weight bits 2^32 + 16") << QStringList{QStringLiteral("--weight-bits"), QStringLiteral("4294967312")} << 2 << "--weight-bits: must be 4, 8 or 16, got 4294967312";
    QTest::newRow("hidden size -2^32 + 1") << QStringList{QStringLiteral("--hidden-size=-4294967295")} << 2 << "--hidden-size: must be an integer from 1 to 1048576, got -4294967295";
    QTest::newRow("heads 2^32 + 128") << QStringList{QStringLiteral("--heads"), QStringLiteral("4294967424")} << 2 << "--heads: must be an integer from 1 to 1048576, got 4294967424";
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Run r = run(QStringList{QStringLiteral("evaluate")} + args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::exportFormats()
{
    QTemporaryDir dir;
    const QString scenario = QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/edge-bandwidth-starved.mlastudio.json");
    // 2 × 1 inches at 100 dpi: exactly 200 × 100 pixels.
    const QString png = dir.filePath(QStringLiteral("r.png"));
    Run r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), png,
                 QStringLiteral("--size"), QStringLiteral("2x1in"), QStringLiteral("--dpi"), QStringLiteral("100")});
    QCOMPARE(r.code, 0);
    QCOMPARE(QImage(png).size(), QSize(200, 100));
    const QString pdf = dir.filePath(QStringLiteral("t.pdf"));
    r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("throughput"), QStringLiteral("--out"), pdf,
             QStringLiteral("--data"), dir.filePath(QStringLiteral("t.json"))});
    QCOMPARE(r.code, 0);
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    QFile data(dir.filePath(QStringLiteral("t.json")));
    QVERIFY(data.open(QIODevice::ReadOnly));
    const json dj = json::parse(data.readAll().toStdString());
    QCOMPARE(dj["scenario"]["hardware_preset"].get<std::string>(), std::string("edge-template"));
    const QString svg = dir.filePath(QStringLiteral("m.svg"));
    r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("scheme-map"), QStringLiteral("--out"), svg,
             QStringLiteral("--size"), QStringLiteral("slide"), QStringLiteral("--theme"), QStringLiteral("slides")});
    QCOMPARE(r.code, 0);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svgFile);
    QVERIFY(xml.readNextStartElement());
    QCOMPARE(xml.name().toString(), QStringLiteral("svg"));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
}

void TestCli::exportErrors()
{
    QTemporaryDir dir;
    const QString scenario = QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/roofline-shift-h100.mlastudio.json");
    // Unwritable: a path below a regular file. The error names the path and nothing is left behind.
    QFile blocker(dir.filePath(QStringLiteral("file.txt")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString bad = dir.filePath(QStringLiteral("file.txt/out.png"));
    Run r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), bad});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(bad), qPrintable(r.err));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList{QStringLiteral("file.txt")});
    r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("pie"), QStringLiteral("--out"), dir.filePath(QStringLiteral("a.png"))});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("--view")));
    r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), dir.filePath(QStringLiteral("a.gif"))});
    QCOMPARE(r.code, 2);
    r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), dir.filePath(QStringLiteral("a.png")),
             QStringLiteral("--size"), QStringLiteral("huge")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("--size")));
    // A malformed scenario is rejected with the file named.
    QFile broken(dir.filePath(QStringLiteral("broken.mlastudio.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(R"({"schema": "mlastudio.scenario/1", "model_preset": "deepseek-v3", "hardware_preset": "h100-sxm", "parameters": {"hardware": {"dram_bandwidth_bytes_per_s": -1}}})");
    broken.close();
    r = run({QStringLiteral("export"), broken.fileName(), QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), dir.filePath(QStringLiteral("b.png"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("broken.mlastudio.json")), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.png"))));
}

void TestCli::figuresRenderTheDefaultSet()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("figs"));
    const Run r = run({QStringLiteral("figures"), QStringLiteral("--out"), out});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(out));
    for (const char *view : {"roofline", "throughput", "energy", "scheme-map", "memory"})
        for (const char *ext : {"pdf", "svg", "png", "csv"}) {
            const QFileInfo f(QStringLiteral("%1/%2.%3").arg(out, QLatin1String(view), QLatin1String(ext)));
            QVERIFY2(f.exists() && f.size() > 100, qPrintable(f.filePath()));
        }
    // Single-column at 300 dpi: 3.5 in × 300 = 1050 px wide.
    QCOMPARE(QImage(out + QStringLiteral("/roofline.png")).width(), 1050);
}

void TestCli::galleryScenariosLoad()
{
    // Every shipped gallery scenario is valid and evaluates.
    const QDir dir(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios"));
    const QStringList files = dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files);
    QVERIFY(files.size() >= 5);
    QTemporaryDir out;
    for (const QString &f : files) {
        const Run r = run({QStringLiteral("export"), dir.filePath(f), QStringLiteral("--view"), QStringLiteral("memory"),
                           QStringLiteral("--out"), out.filePath(f + QStringLiteral(".png")), QStringLiteral("--dpi"), QStringLiteral("50")});
        QVERIFY2(r.code == 0, qPrintable(f + QLatin1Char(' ') + r.err));
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
