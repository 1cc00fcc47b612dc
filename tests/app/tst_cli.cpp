// SPDX-License-Identifier: MIT
// Command-line round trips: the real executable, real files, real exit codes.
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

using namespace mlastudio::core;
using nlohmann::json;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MLASTUDIO_BINARY), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
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
    void presetFileByPath();
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
    // The parameters block round-trips into the same evaluation.
    const Parameters back = parametersFromJson(j["parameters"], Parameters{});
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
    QTest::newRow("zero latent") << QStringList{QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--kv-lora-rank"), QStringLiteral("0")} << 1 << "kv_lora_rank";
    QTest::newRow("heads do not divide") << QStringList{QStringLiteral("--kv-heads"), QStringLiteral("7")} << 1 << "num_kv_heads";
    QTest::newRow("query longer than cache") << QStringList{QStringLiteral("--query-len"), QStringLiteral("9000")} << 1 << "query_len";
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
