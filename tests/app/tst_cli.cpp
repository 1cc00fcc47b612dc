// SPDX-License-Identifier: MIT
// Command-line round trips: the real executable, real files, real exit codes.
#include "../core/testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/presets.h"
#include "mlastudio/core/report.h"
#include "mlastudio/core/serving.h"

#include <QDir>
#include <QDirIterator>
#include <QImage>
#include <QProcess>
#include <QXmlStreamReader>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

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

QString writeText(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

// Two MHA decode points on the H100 preset with overrides to n_h = n_kv = 32, d_h = d_v = 128; the
// second (B = 32) is marked anomalous and measured 2.06x slower than its derates-on prediction.
const QByteArray kTwoPoints =
    "# hand-derived points (tests/app/tst_cli.cpp)\n"
    "source,hardware,model,heads,kv_heads,head_dim,v_head_dim,scheme,phase,batch,seq_len,query_len,dtype,measured,value,unit,anomalous,note\n"
    "test:hand,h100-sxm,llama-3.1-70b,32,32,128,128,mha,decode,16,4096,1,bf16,kernel_time,400,us,,\"a, quoted note\"\n"
    "test:other,h100-sxm,llama-3.1-70b,32,32,128,128,mha,decode,32,4096,,bf16,kernel_time,1.6,ms,yes,\n";

// The kernel of such a point is DRAM-bound (docs/model.md §4, §6): it streams K and V,
// B·L·n_kv·(d_h + d_v)·2 B, and reads the queries and writes the context, B·n_h·(d_h + d_v)·2 B.
// 2·B·n_h·L·(d_h + d_v) FLOPs at 989 TFLOP/s take 1.1 µs (B = 16), far under the DRAM time, and
// stay under it at the derated, 64-row-padded peak.
double mhaDecodeDramBytes(double batch)
{
    return batch * 4096 * 32 * 256 * 2 + batch * 32 * 256 * 2;
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
    void evaluateWholeModel();
    void evaluateServingMatchesCore();
    void evaluateServingTable();
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
    void evaluatePlatforms();
    void evaluatePlatformsNormalized();
    void evaluatePlatformsAllWithUserPreset();
    void evaluatePlatformsErrors();
    void evaluateHardwareFileWithComma();
    void exportFormats();
    void exportPlatformsNormalized();
    void exportErrors();
    void figuresRenderTheDefaultSet();
    void galleryScenariosLoad();
    void validateKnownAnswers();
    void validateFormats();
    void validateShippedSet();
    void validateErrors_data();
    void validateErrors();
    void validateRefusesAFifo();
    void validateFitAndSave();
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

void TestCli::evaluateWholeModel()
{
    // DeepSeek-V3, whole model, DP = 8 attention with EP = 8 experts, one request per device: each device's
    // 32 experts see the group's 8 tokens, the all-to-all is the only exchange, attention is a share < 1.
    const QStringList common = {QStringLiteral("--scope"), QStringLiteral("model"), QStringLiteral("--dp"), QStringLiteral("8"),
                                QStringLiteral("--batch"), QStringLiteral("8"), QStringLiteral("--scheme"),
                                QStringLiteral("mla-reuse")};
    const Run r = run(QStringList{QStringLiteral("evaluate"), QStringLiteral("--ep"), QStringLiteral("8"),
                                  QStringLiteral("--format"), QStringLiteral("json")} + common);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["parameters"]["scope"].get<std::string>(), std::string("model"));
    QCOMPARE(j["parameters"]["parallel"]["expert"].get<int>(), 8);
    const json &res = j["results"][0];
    QCOMPARE(res["scope"].get<std::string>(), std::string("model"));
    const double share = res["attention_share"]["time"].get<double>();
    QVERIFY2(share > 0.0 && share < 1.0, qPrintable(QString::number(share)));
    QVERIFY(res["attention_share"]["energy"].get<double>() > 0.0 && res["attention_share"]["energy"].get<double>() < 1.0);
    QVERIFY(std::fabs(res["attention_share"]["time_s"].get<double>() - share * res["time_s"].get<double>())
            <= 1e-12 * res["time_s"].get<double>());
    double allToAll = -1.0;
    bool routed = false;
    for (const json &o : res["operators"]) {
        if (o["name"] == "moe_routed") {
            routed = true;
            QCOMPARE(o["experts_touched"].get<double>(), mlastudio::core::expectedDistinctExperts(256, 8, 8) / 8);
            QCOMPARE(o["layers"].get<double>(), 58.0);
        }
        if (o["name"] == "all_to_all") {
            allToAll = o["time_s"].get<double>();
            QCOMPARE(o["bound"].get<std::string>(), std::string("interconnect"));
            QCOMPARE(o["devices"].get<double>(), 8.0);
        }
    }
    QVERIFY(routed);
    QCOMPARE(res["communication_time_s"].get<double>(), allToAll);
    // 32 of 256 experts per device next to the attention weights: the device weights are far below the model's.
    QVERIFY(res["per_device"]["weight_bytes"].get<double>() < res["weight_bytes"].get<double>() / 6);
    // The table names the scope and prints the share.
    const Run table = run(QStringList{QStringLiteral("evaluate"), QStringLiteral("--ep"), QStringLiteral("8")} + common);
    QVERIFY2(table.code == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains(QLatin1String("(the whole model: attention, FFN/MoE")), qPrintable(table.out));
    QVERIFY2(table.out.contains(QStringLiteral("attention share mla-reuse: %1 % of the time").arg(100.0 * share, 0, 'f', 1)),
             qPrintable(table.out));
    // The default step is attention only and has no share.
    const Run step = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"),
                          QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(!json::parse(step.out.toStdString())["results"][0].contains("attention_share"));
    // A sweep over the ep field under the whole-model scope: 1, 2, 4, 8; each row equals evaluate.
    const Run sw = run(QStringList{QStringLiteral("sweep"), QStringLiteral("--axis"), QStringLiteral("ep"), QStringLiteral("--from"),
                                   QStringLiteral("1"), QStringLiteral("--to"), QStringLiteral("8"), QStringLiteral("--points"),
                                   QStringLiteral("4"), QStringLiteral("--log"), QStringLiteral("--format"), QStringLiteral("json")}
                       + common);
    QVERIFY2(sw.code == 0, qPrintable(sw.err));
    const json rows = json::parse(sw.out.toStdString())["rows"];
    QCOMPARE(rows.size(), std::size_t(4));
    QCOMPARE(rows[3]["ep"].get<double>(), 8.0);
    QCOMPARE(rows[3]["time_s"].get<double>(), res["time_s"].get<double>());
    QVERIFY(rows[0]["time_s"].get<double>() != rows[3]["time_s"].get<double>());
}

void TestCli::evaluateServingMatchesCore()
{
    // DeepSeek-V3 on an H200, realistic kernels, B = 4 over DP = 2, chunked prefill: the serving object of
    // each result equals evaluateServing() on the same parameters (the auto row picks per step).
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h200"),
                       QStringLiteral("--derate"), QStringLiteral("--batch"), QStringLiteral("4"), QStringLiteral("--dp"),
                       QStringLiteral("2"), QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse,auto"),
                       QStringLiteral("--prompt-len"), QStringLiteral("3000"), QStringLiteral("--output-len"),
                       QStringLiteral("100"), QStringLiteral("--chunk"), QStringLiteral("1024"), QStringLiteral("--format"),
                       QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    Parameters p = testutil::params("deepseek-v3", "h200");
    p.applyDerates = true;
    p.workload.batch = 4;
    p.parallel = {1, 2};
    const ServingRequest request{3000, 100, 1024};
    const std::optional<Scheme> schemes[] = {Scheme::Mha, Scheme::MlaReuse, std::nullopt};
    QCOMPARE(j["results"].size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        const ServingResult expected = evaluateServing(p, schemes[i], request);
        const json &s = j["results"][i]["serving"];
        QCOMPARE(s["ttft_s"].get<double>(), expected.ttftS);
        QCOMPARE(s["tpot_s"].get<double>(), expected.tpotS);
        QCOMPARE(s["e2e_s"].get<double>(), expected.e2eS);
        QCOMPARE(s["tokens_per_s_per_user"].get<double>(), expected.tokensPerSPerUser);
        QCOMPARE(s["tokens_per_s_system"].get<double>(), expected.tokensPerSSystem);
        QCOMPARE(s["prefill_steps"].get<long long>(), 3LL);
        QCOMPARE(s["tokens_per_s_system"].get<double>(), 4 * s["tokens_per_s_per_user"].get<double>());
        QVERIFY(s["e2e_s"].get<double>() > s["ttft_s"].get<double>());
    }
    // Without the options there is no serving object.
    const Run plain = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"),
                           QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(!json::parse(plain.out.toStdString())["results"][0].contains("serving"));
}

void TestCli::evaluateServingTable()
{
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"),
                       QStringLiteral("--prompt-len"), QStringLiteral("2048"), QStringLiteral("--output-len"),
                       QStringLiteral("64")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("serving: prompt 2048, output 64 tokens")));
    const ServingResult s = evaluateServing(testutil::params(), Scheme::MlaReuse, {2048, 64, 0});
    const QString row = r.out.section(QStringLiteral("tok/s system\n"), 1).section(QLatin1Char('\n'), 0, 0);
    QVERIFY2(row.startsWith(QStringLiteral("mla-reuse")), qPrintable(row));
    QVERIFY2(row.contains(QString::fromStdString(formatSi(s.ttftS, "s"))), qPrintable(row));
    QVERIFY2(row.contains(QString::fromStdString(formatSi(s.e2eS, "s"))), qPrintable(row));
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
    QTest::newRow("prompt 0") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("0"), QStringLiteral("--output-len"), QStringLiteral("8")} << 2 << "--prompt-len: expected an integer from 1 to 1073741824, got '0'";
    QTest::newRow("output text") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("64"), QStringLiteral("--output-len"), QStringLiteral("lots")} << 2 << "--output-len: expected an integer from 1 to 1073741824, got 'lots'";
    QTest::newRow("chunk -4") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("64"), QStringLiteral("--output-len"), QStringLiteral("8"), QStringLiteral("--chunk"), QStringLiteral("-4")} << 2 << "--chunk: expected an integer from 1 to 1073741824, got '-4'";
    QTest::newRow("output without prompt") << QStringList{QStringLiteral("--output-len"), QStringLiteral("8")} << 2 << "--output-len: needs --prompt-len";
    QTest::newRow("prompt without output") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("8")} << 2 << "--prompt-len: needs --output-len";
    QTest::newRow("chunk alone") << QStringList{QStringLiteral("--chunk"), QStringLiteral("8")} << 2 << "--chunk: needs --prompt-len";
    QTest::newRow("serving too long") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("1073741824"), QStringLiteral("--output-len"), QStringLiteral("2")} << 2 << "--output-len: the prompt and output together";
    QTest::newRow("serving kernel scope") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("8"), QStringLiteral("--output-len"), QStringLiteral("2"), QStringLiteral("--scope"), QStringLiteral("kernel")} << 2 << "--prompt-len: serving metrics need --scope step";
    QTest::newRow("serving csv") << QStringList{QStringLiteral("--prompt-len"), QStringLiteral("8"), QStringLiteral("--output-len"), QStringLiteral("2"), QStringLiteral("--format"), QStringLiteral("csv")} << 2 << "--prompt-len: serving metrics are printed with --format table or json";
    QTest::newRow("tp 0") << QStringList{QStringLiteral("--tp"), QStringLiteral("0")} << 2 << "--tp: must be an integer from 1 to 4096, got 0";
    QTest::newRow("dp negative") << QStringList{QStringLiteral("--dp=-2")} << 2 << "--dp: must be an integer from 1 to 65536, got -2";
    QTest::newRow("ep does not divide experts") << QStringList{QStringLiteral("--scope"), QStringLiteral("model"), QStringLiteral("--dp"), QStringLiteral("3"), QStringLiteral("--ep"), QStringLiteral("3")} << 1 << "--ep: must divide the number of routed experts (256), got 3";
    QTest::newRow("ep beyond the devices") << QStringList{QStringLiteral("--scope"), QStringLiteral("model"), QStringLiteral("--ep"), QStringLiteral("8")} << 1 << "--ep: must divide the devices TP · DP (1 · 1 = 1), got 8";
    QTest::newRow("ep 0") << QStringList{QStringLiteral("--ep"), QStringLiteral("0")} << 2 << "--ep: must be an integer from 1 to 4096, got 0";
    QTest::newRow("ep negative") << QStringList{QStringLiteral("--ep=-8")} << 2 << "--ep: must be an integer from 1 to 4096, got -8";
    QTest::newRow("ep on a dense model") << QStringList{QStringLiteral("--model"), QStringLiteral("llama-3.1-70b"), QStringLiteral("--dp"), QStringLiteral("2"), QStringLiteral("--ep"), QStringLiteral("2")} << 1 << "--ep: must be 1 for a model without routed experts";
    QTest::newRow("unknown scope") << QStringList{QStringLiteral("--scope"), QStringLiteral("layer")} << 2 << "--scope: expected step, model or kernel, got 'layer'";
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

void TestCli::evaluatePlatforms()
{
    // Three platforms given out of order: rows come by machine balance (A100 153, H200 206, H100 295 FLOP/B),
    // one per platform and scheme, each equal to a single evaluation on that hardware.
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,a100-80gb,h200"),
                       QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse"), QStringLiteral("--batch"), QStringLiteral("64"),
                       QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["hardware"], json({"a100-80gb", "h200", "h100-sxm"}));
    QCOMPARE(j["results"].size(), std::size_t(6));
    QVERIFY(!j.contains("normalization"));
    for (std::size_t i = 0; i < 6; ++i) {
        const json &row = j["results"][i];
        const std::string hw = j["hardware"][i / 2];
        QCOMPARE(row["hardware"].get<std::string>(), hw);
        Parameters p = presetParams("deepseek-v3", hw);
        p.workload.batch = 64;
        const StepResult single = evaluate(p, i % 2 ? Scheme::MlaReuse : Scheme::Mha);
        QCOMPARE(row["scheme"].get<std::string>(), std::string(schemeId(single.scheme)));
        QCOMPARE(row["tokens_per_s"].get<double>(), single.tokensPerS);
        QCOMPARE(row["energy_per_token_j"].get<double>(), single.energyPerTokenJ);
        QCOMPARE(row["platform_class"].get<std::string>(), std::string("gpu"));
        QVERIFY(row["utilisation"].get<double>() > 0.0 && row["utilisation"].get<double>() <= 1.0 + 1e-12);
    }
    // CSV: a header and one row per platform and scheme; the table ends with the stability figures.
    const Run csv = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,a100-80gb,h200"),
                         QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse"), QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(csv.code, 0);
    const QStringList lines = csv.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 7);
    QVERIFY(lines[0].startsWith(QLatin1String("hardware,platform_class,machine_balance_flop_per_byte,scheme,")));
    QVERIFY(lines[1].startsWith(QLatin1String("a100-80gb,gpu,153.0")));
    QVERIFY(lines[6].startsWith(QLatin1String("h100-sxm,gpu,295.3")));
    const Run table = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,a100-80gb")});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.contains(QLatin1String("on 2 platforms")));
    QVERIFY(table.out.contains(QLatin1String("Stability of utilisation")));
}

void TestCli::evaluatePlatformsNormalized()
{
    // --normalize mha: speed-up and E/E_MHA on each platform, by hand from two single evaluations.
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("a100-80gb,h100-sxm"),
                       QStringLiteral("--scheme"), QStringLiteral("mha,mla-reuse"), QStringLiteral("--normalize"), QStringLiteral("mha"),
                       QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["normalization"].get<std::string>(), std::string("mha"));
    for (std::size_t i = 0; i < 2; ++i) {
        const Parameters p = presetParams("deepseek-v3", j["hardware"][i]);
        const StepResult mha = evaluate(p, Scheme::Mha), mla = evaluate(p, Scheme::MlaReuse);
        const json &m = j["results"][2 * i], &l = j["results"][2 * i + 1];
        QCOMPARE(m["normalized_throughput"].get<double>(), 1.0);
        QVERIFY(qAbs(l["normalized_throughput"].get<double>() - mla.tokensPerS / mha.tokensPerS) < 1e-12 * mla.tokensPerS / mha.tokensPerS);
        QVERIFY(qAbs(l["normalized_energy"].get<double>() - mla.energyPerTokenJ / mha.energyPerTokenJ) < 1e-12);
    }
    // --normalize peak: the utilisation column; a single platform with --normalize is a comparison of one.
    const Run peak = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm"),
                          QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--normalize"), QStringLiteral("peak"),
                          QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(peak.code, 0);
    const json pj = json::parse(peak.out.toStdString());
    QCOMPARE(pj["results"][0]["normalized_throughput"].get<double>(), pj["results"][0]["utilisation"].get<double>());
    QCOMPARE(pj["results"][0]["hardware"].get<std::string>(), std::string("h100-sxm"));
}

void TestCli::evaluatePlatformsAllWithUserPreset()
{
    // "all" is every shipped preset plus the user's own.
    QTemporaryDir home;
    const QString hwDir = userPresetDir(home.path(), "hardware");
    QVERIFY(QDir().mkpath(hwDir));
    json mine = h100Json();
    mine["id"] = "my-gpu";
    mine["dram"]["bandwidth"]["value"] = 1000;
    QVERIFY(writeText(hwDir + QStringLiteral("/my-gpu.json"), mine.dump()));
    const Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("all"), QStringLiteral("--scheme"),
                       QStringLiteral("mla-reuse"), QStringLiteral("--format"), QStringLiteral("json")}, homeAt(home.path()));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["hardware"].size(), std::size_t(18));
    QCOMPARE(j["results"].size(), std::size_t(18));
    // 989.4 TFLOP/s over 1 TB/s = 989 FLOP/B: the most bandwidth-limited platform comes last.
    QCOMPARE(j["hardware"].back().get<std::string>(), std::string("my-gpu"));
}

void TestCli::evaluateHardwareFileWithComma()
{
    // A file whose name has a comma is one hardware, not a list of two unknown ids.
    QTemporaryDir dir;
    json j = h100Json();
    j["id"] = "comma-gpu";
    j["dram"]["bandwidth"]["value"] = 1000;
    const QString path = dir.filePath(QStringLiteral("h100,slow.json"));
    QVERIFY(writeText(path, j.dump()));
    Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), path, QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(json::parse(r.out.toStdString())["parameters"]["hardware"]["dram_bandwidth_bytes_per_s"].get<double>(), 1e12);
    // In a comparison it is one entry; the list still splits at the other commas.
    r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), path, QStringLiteral("--normalize"),
             QStringLiteral("peak"), QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--format"),
             QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(json::parse(r.out.toStdString())["hardware"].size(), std::size_t(1));
}

void TestCli::evaluatePlatformsErrors()
{
    Run r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,h1000")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("unknown hardware 'h1000'")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("a100-40gb, a100-80gb, b200")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral(",,")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("--hardware: expected at least one hardware id")), qPrintable(r.err));
    r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,h200"), QStringLiteral("--normalize"), QStringLiteral("speedup")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("--normalize: expected absolute, mha or peak, got 'speedup'")), qPrintable(r.err));
    r = run({QStringLiteral("evaluate"), QStringLiteral("--hardware"), QStringLiteral("h100-sxm,h200"), QStringLiteral("--bandwidth-gbs"), QStringLiteral("100")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("--bandwidth-gbs: hardware overrides cannot be combined")), qPrintable(r.err));
    r = run({QStringLiteral("export"), QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/roofline-shift-h100.mlastudio.json"),
             QStringLiteral("--view"), QStringLiteral("roofline"), QStringLiteral("--out"), QStringLiteral("x.png"),
             QStringLiteral("--normalize"), QStringLiteral("max")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("got 'max'")), qPrintable(r.err));
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

void TestCli::exportPlatformsNormalized()
{
    // The Platforms view renders headless; --normalize mha overrides the scenario's normalisation.
    QTemporaryDir dir;
    const QString scenario = QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/platform-comparison.mlastudio.json");
    const QString pdf = dir.filePath(QStringLiteral("p.pdf")), csv = dir.filePath(QStringLiteral("p.csv"));
    const Run r = run({QStringLiteral("export"), scenario, QStringLiteral("--view"), QStringLiteral("platforms"), QStringLiteral("--out"), pdf,
                       QStringLiteral("--normalize"), QStringLiteral("mha"), QStringLiteral("--data"), csv});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    QFile data(csv);
    QVERIFY(data.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(data.readAll()).trimmed().split(QLatin1Char('\n'));
    QVERIFY(lines.first().startsWith(QLatin1String("# scenario:")));
    lines.removeFirst();
    QCOMPARE(lines.first(), QStringLiteral("# view: platforms"));
    lines.removeFirst();
    QVERIFY(lines.first().startsWith(QLatin1String("hardware,platform_class,machine_balance_flop_per_byte,scheme,")));
    QCOMPARE(lines.size(), 1 + 15 * 3);  // 15 platforms x 3 visible schemes
    int checked = 0;
    for (const QString &line : lines.mid(1)) {
        const QStringList f = line.split(QLatin1Char(','));
        QCOMPARE(f.at(9), QStringLiteral("mha"));
        if (f.at(3) == QLatin1String("mha"))
            QCOMPARE(f.at(10).toDouble(), 1.0);
        if (f.at(0) == QLatin1String("h100-sxm") && f.at(3) == QLatin1String("mla-reuse")) {
            Parameters p = presetParams("deepseek-v3", "h100-sxm");
            p.workload.batch = 64;
            const double speedup = evaluate(p, Scheme::MlaReuse).tokensPerS / evaluate(p, Scheme::Mha).tokensPerS;
            QVERIFY(qAbs(f.at(10).toDouble() - speedup) < 1e-8 * speedup);
            ++checked;
        }
    }
    QCOMPARE(checked, 1);
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
    for (const char *view : {"roofline", "throughput", "energy", "scheme-map", "memory", "validation"})
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

void TestCli::validateKnownAnswers()
{
    QTemporaryDir dir;
    const QString csv = writeText(dir, QStringLiteral("two.csv"), kTwoPoints);
    const Run r = run({QStringLiteral("validate"), csv, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["schema"].get<std::string>(), std::string("mlastudio.validate/1"));
    QCOMPARE(j["points"].size(), std::size_t(2));
    const HardwareConfig h100 = presetParams("llama-3.1-70b", "h100-sxm").hardware;
    QCOMPARE(h100.dramBandwidthBytesPerS, 3.35e12);
    // B = 16: 1,073,741,824 + 262,144 B at 3.35 TB/s = 320.598 µs. Derates on: the bandwidth derated
    // by η_attn,m = 0.84 gives t_m = 381.665 µs. The one query row per KV head is padded to the 16-row
    // tile of a decode kernel over per-head K/V, so QK and PV execute 16 × 1,073,741,824 FLOPs, plus the
    // softmax's 5·16·32·4096: 17.19 GFLOP at η_attn,c · P = 0.75 · 989.4 TFLOP/s, t_c = 23.166 µs.
    // Overlapped: √(t_m² + t_c²) = 382.367 µs, plus the launch floor t_0 = 12 µs of the one kernel:
    // 394.367 µs.
    const auto onTime = [&](double batch) {
        const double dramS = mhaDecodeDramBytes(batch) / (h100.attentionBandwidthDerate * h100.dramBandwidthBytesPerS);
        const double flops = 16.0 * 2 * 2 * batch * 32 * 4096 * 128 + 5.0 * batch * 32 * 4096;
        const double computeS = flops / (h100.attentionComputeDerate * h100.peakFlopsBf16);
        return std::sqrt(dramS * dramS + computeS * computeS) + h100.kernelLatencyFloorS;
    };
    QCOMPARE(h100.kernelLatencyFloorS, 12e-6);
    QCOMPARE(h100.attentionComputeDerate, 0.75);
    QCOMPARE(h100.mmaTileRows, 64);
    const double off16 = mhaDecodeDramBytes(16) / h100.dramBandwidthBytesPerS;
    const double on16 = onTime(16);
    QVERIFY(std::abs(off16 - 320.5982e-6) < 1e-9);
    QVERIFY(std::abs(on16 - 394.367e-6) < 0.001e-6);
    const double off32 = mhaDecodeDramBytes(32) / h100.dramBandwidthBytesPerS;
    const double on32 = onTime(32);
    const json &a = j["points"][0];
    QCOMPARE(a["id"].get<std::string>(), csv.toStdString() + ":3");
    QCOMPARE(a["source"].get<std::string>(), std::string("test:hand"));
    QCOMPARE(a["heads"].get<int>(), 32);
    QCOMPARE(a["kv_heads"].get<int>(), 32);
    QCOMPARE(a["note"].get<std::string>(), std::string("a, quoted note"));
    QVERIFY(std::abs(a["predicted_off_s"].get<double>() / off16 - 1.0) < 1e-9);
    QVERIFY(std::abs(a["predicted_on_s"].get<double>() / on16 - 1.0) < 1e-9);
    QCOMPARE(a["measured_s"].get<double>(), 400e-6);
    QVERIFY(std::abs(a["ratio"].get<double>() - on16 / 400e-6) < 1e-9);
    const json &b = j["points"][1];
    QCOMPARE(b["measured_s"].get<double>(), 1.6e-3);
    QVERIFY(b["anomalous"].get<bool>());
    QVERIFY(std::abs(b["predicted_on_s"].get<double>() / on32 - 1.0) < 1e-9);

    const json &s = j["summary"];
    QCOMPARE(s["points"].get<int>(), 2);
    QCOMPARE(s["anomalous"].get<int>(), 1);
    // The statistics leave the anomalous point out; the "all" MAPEs include it.
    QVERIFY(std::abs(s["mape_on_pct"].get<double>() - 100.0 * std::abs(on16 - 400e-6) / 400e-6) < 1e-6);
    QVERIFY(std::abs(s["mape_off_pct"].get<double>() - 100.0 * std::abs(off16 - 400e-6) / 400e-6) < 1e-6);
    const double mapeOnAll = 50.0 * (std::abs(on16 - 400e-6) / 400e-6 + std::abs(on32 - 1.6e-3) / 1.6e-3);
    const double mapeOffAll = 50.0 * (std::abs(off16 - 400e-6) / 400e-6 + std::abs(off32 - 1.6e-3) / 1.6e-3);
    QVERIFY(std::abs(s["mape_on_all_pct"].get<double>() - mapeOnAll) < 1e-6);
    QVERIFY(std::abs(s["mape_off_all_pct"].get<double>() - mapeOffAll) < 1e-6);
    QVERIFY(std::abs(s["median_ratio_on"].get<double>() - on16 / 400e-6) < 1e-9);
    QVERIFY(std::abs(s["median_ratio_off"].get<double>() - off16 / 400e-6) < 1e-9);
    // The anomalous point is off by more than 2x (ratio 0.48) but neither counted nor the worst.
    QVERIFY(on32 / 1.6e-3 < 0.5);
    QCOMPARE(s["off_by_2x"].get<int>(), 0);
    QCOMPARE(s["worst"]["id"].get<std::string>(), csv.toStdString() + ":3");
}

void TestCli::validateFormats()
{
    QTemporaryDir dir;
    const QString csv = writeText(dir, QStringLiteral("two.csv"), kTwoPoints);
    const Run table = run({QStringLiteral("validate"), csv});
    QCOMPARE(table.code, 0);
    for (const QString &s : {csv + QStringLiteral(":3"), csv + QStringLiteral(":4"), QStringLiteral("MAPE, derates on:"),
                             QStringLiteral("MAPE, derates off:"), QStringLiteral("MAPE of all points:"),
                             QStringLiteral("median ratio"), QStringLiteral("worst point:"),
                             QStringLiteral("off by more than 2x (not anomalous): 0"), QStringLiteral("(anomalous)"),
                             QStringLiteral("394.4"), QStringLiteral("320.6")})
        QVERIFY2(table.out.contains(s), qPrintable(s + QLatin1Char('\n') + table.out));
    const Run c = run({QStringLiteral("validate"), csv, QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(c.code, 0);
    const QStringList lines = c.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.at(0).startsWith(QLatin1String("id,source,hardware,model,scheme,phase,batch,seq_len,query_len")));
    QVERIFY(lines.at(1).startsWith(csv + QStringLiteral(":3,test:hand,h100-sxm,llama-3.1-70b,mha,decode,16,4096,1,32,32,bf16,0.0004,")));
    QVERIFY(lines.at(2).endsWith(QLatin1String(",1")));  // anomalous
    QVERIFY(lines.at(3).startsWith(QLatin1String("# mape_on_pct=")));
    QVERIFY(lines.at(4).startsWith(QLatin1String("# worst=")));
    // The help names every option.
    const Run h = run({QStringLiteral("validate"), QStringLiteral("--help")});
    QCOMPARE(h.code, 0);
    for (const char *opt : {"--format", "--fit", "--save", "--hardware", "CSV"})
        QVERIFY2(h.out.contains(QLatin1String(opt)), opt);
    QVERIFY(run({QStringLiteral("--help")}).out.contains(QLatin1String("validate")));
}

void TestCli::validateShippedSet()
{
    // Default: every shipped file, as many points as the files in the source tree have.
    std::size_t expected = 0;
    QStringList names;
    for (const QString &f : QDir(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/measured")).entryList({QStringLiteral("*.csv")}, QDir::Files)) {
        expected += loadMeasuredCsvFile(MLASTUDIO_SOURCE_DIR "/presets/measured/" + f.toStdString()).size();
        names << f;
    }
    QVERIFY(expected >= 25);
    const Run r = run({QStringLiteral("validate"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["points"].size(), expected);
    QStringList seen;
    for (const json &p : j["points"]) {
        const QString file = QString::fromStdString(p["file"].get<std::string>());
        QVERIFY2(file.startsWith(QLatin1String("presets/measured/")), qPrintable(file));
        if (!seen.contains(file.mid(17)))
            seen << file.mid(17);
        QVERIFY(p["predicted_on_s"].get<double>() > 0.0 && p["predicted_off_s"].get<double>() > 0.0);
        QVERIFY(!p["source"].get<std::string>().empty());
    }
    std::sort(seen.begin(), seen.end());
    std::sort(names.begin(), names.end());
    QCOMPARE(seen, names);
    QVERIFY(j["summary"]["mape_on_pct"].get<double>() > 0.0);
}

void TestCli::validateErrors_data()
{
    QTest::addColumn<QByteArray>("csv");   // empty: no file argument
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");  // %1: the CSV's path
    const QByteArray header = "source,hardware,model,scheme,phase,batch,seq_len,dtype,measured,value,unit\n";
    QTest::newRow("no source") << header + ",h100-sxm,deepseek-v3,mla-reuse,decode,1,4096,bf16,kernel_time,10,us\n"
                               << QStringList() << 1 << "%1:2: column 'source': a value is required";
    QTest::newRow("negative time") << header + "s,h100-sxm,deepseek-v3,mla-reuse,decode,1,4096,bf16,kernel_time,-2,us\n"
                                   << QStringList() << 1 << "%1:2: column 'value': expected a time > 0, found '-2'";
    QTest::newRow("unknown preset") << header + "s,h100-pcie,deepseek-v3,mla-reuse,decode,1,4096,bf16,kernel_time,2,us\n"
                                    << QStringList() << 1 << "%1:2: column 'hardware': unknown hardware preset id";
    QTest::newRow("unknown scheme") << header + "s,h100-sxm,deepseek-v3,flash,decode,1,4096,bf16,kernel_time,2,us\n"
                                    << QStringList() << 1 << "%1:2: column 'scheme': unknown scheme";
    QTest::newRow("batch out of range") << header + "s,h100-sxm,deepseek-v3,mla-reuse,decode,99999999999,4096,bf16,kernel_time,2,us\n"
                                        << QStringList() << 1 << "%1:2: column 'batch': integer out of range";
    QTest::newRow("unknown column") << QByteArray("source,gpu\n") << QStringList() << 1 << "%1:1: unknown column 'gpu'";
    QTest::newRow("field count") << header + "s,h100-sxm,deepseek-v3\n" << QStringList() << 1
                                 << "%1:2: wrong number of fields: expected 11";
    QTest::newRow("bad quoting") << header + "\"s,h100-sxm,deepseek-v3,mla-reuse,decode,1,4096,bf16,kernel_time,2,us\n"
                                 << QStringList() << 1 << "%1:2: bad quoting in column 'source'";
    QTest::newRow("missing file") << QByteArray() << QStringList{QStringLiteral("/nonexistent/x.csv")} << 1 << "/nonexistent/x.csv";
    QTest::newRow("directory") << QByteArray() << QStringList{QStringLiteral("/tmp")} << 1 << "/tmp: is a directory";
    QTest::newRow("bad format") << QByteArray() << QStringList{QStringLiteral("--format"), QStringLiteral("xml")} << 2 << "--format";
    QTest::newRow("save without fit") << QByteArray() << QStringList{QStringLiteral("--save"), QStringLiteral("x.json")} << 2 << "--fit";
    QTest::newRow("save not json") << QByteArray() << QStringList{QStringLiteral("--fit"), QStringLiteral("--save"), QStringLiteral("x.txt")}
                                   << 2 << ".json";
    QTest::newRow("save several hardware") << QByteArray() << QStringList{QStringLiteral("--fit"), QStringLiteral("--save"), QStringLiteral("x.json")}
                                           << 2 << "choose one with --hardware";
    QTest::newRow("unknown hardware filter") << QByteArray() << QStringList{QStringLiteral("--hardware"), QStringLiteral("tpu-v9")}
                                             << 1 << "tpu-v9";
}

void TestCli::validateErrors()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QStringList all{QStringLiteral("validate")};
    QString path;
    if (!csv.isEmpty()) {
        path = writeText(dir, QStringLiteral("bad.csv"), csv);
        all << path;
    }
    const Run r = run(all + args);
    QCOMPARE(r.code, code);
    const QString expected = message.contains(QLatin1String("%1")) ? message.arg(path) : message;
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::validateRefusesAFifo()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("pipe.csv"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const Run r = run({QStringLiteral("validate"), fifo});  // would block in open() without a writer
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(fifo + QStringLiteral(": is a FIFO, not a regular file")), qPrintable(r.err));
}

void TestCli::validateFitAndSave()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("h20-cal.json"));
    Run r = run({QStringLiteral("validate"), QStringLiteral("--fit"), QStringLiteral("--hardware"), QStringLiteral("h20"),
                 QStringLiteral("--save"), out, QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QLatin1String("wrote ")));
    const json j = json::parse(r.out.toStdString());
    for (const json &p : j["points"])
        QCOMPARE(p["hardware"].get<std::string>(), std::string("h20"));
    QCOMPARE(j["fit"]["hardware"].size(), std::size_t(1));
    const json &f = j["fit"]["hardware"][0];
    QCOMPARE(f["hardware"].get<std::string>(), std::string("h20"));
    QVERIFY(f["mape_after_pct"].get<double>() <= f["mape_before_pct"].get<double>());
    QVERIFY(f["holdouts"].size() >= 2);
    QCOMPARE(f["mape_before_pct"].get<double>(), j["summary"]["mape_on_pct"].get<double>());

    // The saved preset loads with --hardware FILE, carries the fitted numbers and names its points.
    const HardwarePreset saved = loadHardwarePresetFile(out.toStdString());
    QCOMPARE(saved.config.id, std::string("h20-calibrated"));
    QCOMPARE(saved.config.attentionComputeDerate, f["after"]["attention_compute"].get<double>());
    QCOMPARE(saved.config.attentionBandwidthDerate, f["after"]["attention_bandwidth"].get<double>());
    QVERIFY(std::abs(saved.config.kernelLatencyFloorS - f["after"]["latency_floor_s"].get<double>()) < 1e-15);
    bool named = false;
    for (const SourcedQuantity &q : saved.quantities)
        if (q.field == "derate.attention_compute")
            named = q.source.find("presets/measured/flashmla-h20.csv:") != std::string::npos;
    QVERIFY(named);
    r = run({QStringLiteral("evaluate"), QStringLiteral("--scope"), QStringLiteral("kernel"), QStringLiteral("--hardware"), out,
             QStringLiteral("--scheme"), QStringLiteral("mla-reuse"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));

    // A save that cannot happen leaves the existing file byte-for-byte unchanged.
    QFile before(out);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray bytes = before.readAll();
    before.close();
    r = run({QStringLiteral("validate"), QStringLiteral("--fit"), QStringLiteral("--save"), out});
    QCOMPARE(r.code, 2);
    QFile after(out);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), bytes);
    r = run({QStringLiteral("validate"), QStringLiteral("--fit"), QStringLiteral("--hardware"), QStringLiteral("h20"),
             QStringLiteral("--save"), dir.filePath(QStringLiteral("no/such/dir/x.json"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("Cannot write %1").arg(dir.filePath(QStringLiteral("no/such/dir/x.json")))), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
