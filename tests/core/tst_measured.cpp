// SPDX-License-Identifier: MIT
// The measured-points CSV loader (docs/measured.md): good files, every bad-row error, file checks.
#include "mlastudio/core/measured.h"
#include "mlastudio/core/presets.h"

#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <fstream>
#include <set>

using namespace mlastudio::core;

namespace {

const std::string kHeader = "source,hardware,model,scheme,phase,batch,seq_len,query_len,dtype,measured,value,unit";

PresetIdCheck known()
{
    static const std::set<std::string> hardware = {"h100-sxm", "h800", "h200"};
    static const std::set<std::string> models = {"deepseek-v3", "llama-3.1-70b"};
    return {[](const std::string &id) { return hardware.count(id) > 0; },
            [](const std::string &id) { return models.count(id) > 0; }};
}

void writeFile(const QString &path, const std::string &text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

} // namespace

class TestMeasured : public QObject
{
    Q_OBJECT

private slots:
    void parsesAGoodFile();
    void columnsInAnyOrderAndOverrides();
    void badRows_data();
    void badRows();
    void refusesFilesThatAreNotRegular();
    void refusesLargeFiles();
    void parametersOfAPoint();
    void invalidConfigurationNamesTheColumn();
};

void TestMeasured::parsesAGoodFile()
{
    // BOM, comments, blank lines, CRLF, a quoted field with a comma and a literal quote.
    const std::string text = "\xEF\xBB\xBF# published FlashMLA numbers\r\n"
                             "\r\n" + kHeader + ",anomalous,note\r\n"
                             "  # indented comment\r\n"
                             "\"https://example.org/a,b\",h800,deepseek-v3,mla-reuse,decode,64,4096,2,bf16,kernel_time,45.5,us,,\"read \"\"as is\"\"\"\r\n"
                             "owner/repo:bench.py,h100-sxm,llama-3.1-70b,gqa,prefill,1,8192,,fp8,kernel_time,1.25,ms,yes,\n";
    const std::vector<MeasuredPoint> points = parseMeasuredCsv(text, "pts.csv", known());
    QCOMPARE(points.size(), std::size_t(2));
    const MeasuredPoint &a = points[0];
    QCOMPARE(a.file, std::string("pts.csv"));
    QCOMPARE(a.line, 5);
    QCOMPARE(a.id(), std::string("pts.csv:5"));
    QCOMPARE(a.source, std::string("https://example.org/a,b"));
    QCOMPARE(a.hardwareId, std::string("h800"));
    QCOMPARE(a.modelId, std::string("deepseek-v3"));
    QCOMPARE(a.scheme, Scheme::MlaReuse);
    QCOMPARE(a.phase, Phase::Decode);
    QCOMPARE(a.batch, 64);
    QCOMPARE(a.seqLen, 4096LL);
    QCOMPARE(a.queryLen, 2);
    QCOMPARE(a.dtype, MeasuredDtype::Bf16);
    QCOMPARE(a.dtypeBits, 16);
    QCOMPARE(a.measuredTimeS, 45.5e-6);
    QVERIFY(!a.anomalous);
    QCOMPARE(a.note, std::string("read \"as is\""));
    QVERIFY(!a.heads && !a.kvHeads && !a.headDim && !a.vHeadDim && !a.kvLoraRank && !a.ropeDim);

    const MeasuredPoint &b = points[1];
    QCOMPARE(b.line, 6);
    QCOMPARE(b.scheme, Scheme::Gqa);
    QCOMPARE(b.phase, Phase::Prefill);
    QCOMPARE(b.queryLen, 1);  // empty: the default (prefill uses S = L)
    QCOMPARE(b.dtype, MeasuredDtype::Fp8);
    QCOMPARE(b.dtypeBits, 8);
    QCOMPARE(b.measuredTimeS, 1.25e-3);
    QVERIFY(b.anomalous);
    QVERIFY(b.note.empty());
}

void TestMeasured::columnsInAnyOrderAndOverrides()
{
    const std::string text = "unit,value,measured,dtype,seq_len,batch,phase,scheme,heads,kv_heads,head_dim,v_head_dim,"
                             "kv_lora_rank,rope_dim,model,hardware,source,anomalous\n"
                             "us,30,kernel_time,fp16,16384,128,decode,mla-reuse,16,1,128,128,512,64,deepseek-v3,h800,src,no\n"
                             "us,7e1,kernel_time,bf16,1024,+4,decode,mha,32,,,96,0,0,deepseek-v3,h800,src,1\n";
    const auto points = parseMeasuredCsv(text, "o.csv", known());
    QCOMPARE(points.size(), std::size_t(2));
    QCOMPARE(*points[0].heads, 16);
    QCOMPARE(*points[0].kvHeads, 1);
    QCOMPARE(*points[0].headDim, 128);
    QCOMPARE(*points[0].vHeadDim, 128);
    QCOMPARE(*points[0].kvLoraRank, 512);
    QCOMPARE(*points[0].ropeDim, 64);
    QCOMPARE(points[0].dtype, MeasuredDtype::Fp16);
    QCOMPARE(points[0].dtypeBits, 16);
    QCOMPARE(points[0].measuredTimeS, 30e-6);
    QCOMPARE(points[1].batch, 4);
    QCOMPARE(points[1].measuredTimeS, 70e-6);
    QVERIFY(!points[1].kvHeads && !points[1].headDim);
    QCOMPARE(*points[1].kvLoraRank, 0);
    QVERIFY(points[1].anomalous);
    // Without a check every id is accepted.
    QCOMPARE(parseMeasuredCsv(kHeader + "\ns,any-gpu,any-model,mha,decode,1,1,1,bf16,kernel_time,1,us\n", "x.csv").size(),
             std::size_t(1));
}

void TestMeasured::badRows_data()
{
    QTest::addColumn<QString>("csv");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("found");  // what the message must quote

    const QString h = QString::fromStdString(kHeader);
    const auto row = [&](const char *r) { return h + QStringLiteral("\n# c\n") + QLatin1String(r) + QLatin1Char('\n'); };
    QTest::newRow("missing source") << row(",h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                    << "source" << "an empty field";
    QTest::newRow("blank source") << row("  ,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                  << "source" << "an empty field";
    QTest::newRow("zero value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,0,us") << 3 << "value"
                                << "'0'";
    QTest::newRow("negative value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,-3.5,us") << 3
                                    << "value" << "'-3.5'";
    QTest::newRow("infinite value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,inf,us") << 3
                                    << "value" << "'inf'";
    QTest::newRow("nan value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,nan,us") << 3 << "value"
                               << "'nan'";
    QTest::newRow("overflowing value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,1e400,us") << 3
                                       << "value" << "'1e400'";
    QTest::newRow("text value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,12us,us") << 3
                                << "value" << "'12us'";
    QTest::newRow("missing value") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,,us") << 3 << "value"
                                   << "an empty field";
    QTest::newRow("unknown hardware") << row("s,h900,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                      << "hardware" << "'h900'";
    QTest::newRow("unknown model") << row("s,h800,deepseek-v9,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                   << "model" << "'deepseek-v9'";
    QTest::newRow("unknown scheme") << row("s,h800,deepseek-v3,mla-absorb,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                    << "scheme" << "'mla-absorb'";
    QTest::newRow("unknown phase") << row("s,h800,deepseek-v3,mla-reuse,train,1,4096,1,bf16,kernel_time,10,us") << 3 << "phase"
                                   << "'train'";
    QTest::newRow("unknown dtype") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,fp32,kernel_time,10,us") << 3 << "dtype"
                                   << "'fp32'";
    QTest::newRow("unknown measured") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,tflops,10,us") << 3
                                      << "measured" << "'tflops'";
    QTest::newRow("unknown unit") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,ns") << 3 << "unit"
                                  << "'ns'";
    QTest::newRow("batch zero") << row("s,h800,deepseek-v3,mla-reuse,decode,0,4096,1,bf16,kernel_time,10,us") << 3 << "batch"
                                << "'0'";
    QTest::newRow("batch past int") << row("s,h800,deepseek-v3,mla-reuse,decode,4294967297,4096,1,bf16,kernel_time,10,us")
                                    << 3 << "batch" << "'4294967297'";
    QTest::newRow("batch past long long")
        << row("s,h800,deepseek-v3,mla-reuse,decode,99999999999999999999999,4096,1,bf16,kernel_time,10,us") << 3 << "batch"
        << "'99999999999999999999999'";
    QTest::newRow("batch not an integer") << row("s,h800,deepseek-v3,mla-reuse,decode,2.5,4096,1,bf16,kernel_time,10,us") << 3
                                          << "batch" << "'2.5'";
    QTest::newRow("seq_len too long") << row("s,h800,deepseek-v3,mla-reuse,decode,1,1073741825,1,bf16,kernel_time,10,us") << 3
                                      << "seq_len" << "'1073741825'";
    QTest::newRow("query_len past L") << row("s,h800,deepseek-v3,mla-reuse,decode,1,64,65,bf16,kernel_time,10,us") << 3
                                      << "query_len" << "'65'";
    QTest::newRow("prefill query_len") << row("s,h800,deepseek-v3,mla-reuse,prefill,1,64,2,bf16,kernel_time,10,us") << 3
                                       << "query_len" << "'2'";
    QTest::newRow("heads out of range")
        << h + QStringLiteral(",heads\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,2097152\n") << 2
        << "heads" << "'2097152'";
    QTest::newRow("negative rope") << h + QStringLiteral(",rope_dim\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,-1\n")
                                   << 2 << "rope_dim" << "'-1'";
    QTest::newRow("bad anomalous") << h + QStringLiteral(",anomalous\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,maybe\n")
                                   << 2 << "anomalous" << "'maybe'";
    QTest::newRow("unknown column") << QStringLiteral("# x\n") + h + QStringLiteral(",tflops\n") << 2 << "tflops" << "'tflops'";
    QTest::newRow("duplicate column") << h + QStringLiteral(",batch\n") << 1 << "batch" << "'batch'";
    QTest::newRow("missing column") << QStringLiteral("source,hardware,model,scheme,phase,batch,seq_len,dtype,measured,unit\n")
                                    << 1 << "value" << "'value'";
    QTest::newRow("too few fields") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10") << 3 << ""
                                    << "found 11";
    QTest::newRow("too many fields") << row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,x") << 3 << ""
                                     << "found 13";
    QTest::newRow("unclosed quote") << row("\"s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                    << "source" << "not closed";
    QTest::newRow("text after quote") << row("\"s\"x,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                      << "source" << "'x'";
    QTest::newRow("quote inside field") << row("s,h8\"00,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us") << 3
                                        << "hardware" << "'h8\"00'";
    QTest::newRow("no header") << QStringLiteral("# only comments\n\n") << 0 << "" << "no header";
}

void TestMeasured::badRows()
{
    QFETCH(QString, csv);
    QFETCH(int, line);
    QFETCH(QString, column);
    QFETCH(QString, found);
    try {
        parseMeasuredCsv(csv.toStdString(), "bad.csv", known());
        QFAIL("no error");
    } catch (const MeasuredError &e) {
        const QString what = QString::fromStdString(e.what());
        QCOMPARE(e.file(), std::string("bad.csv"));
        QCOMPARE(e.line(), line);
        QCOMPARE(QString::fromStdString(e.column()), column);
        QVERIFY2(what.startsWith(line > 0 ? QStringLiteral("bad.csv:%1: ").arg(line) : QStringLiteral("bad.csv: ")), qPrintable(what));
        if (!column.isEmpty())
            QVERIFY2(what.contains(QLatin1Char('\'') + column + QLatin1Char('\'')), qPrintable(what));
        QVERIFY2(what.contains(found), qPrintable(what));
    }
}

void TestMeasured::refusesFilesThatAreNotRegular()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string fifo = dir.filePath(QStringLiteral("pipe.csv")).toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    // A FIFO without a writer would block open(); the loader must refuse it before opening.
    for (const std::string &path : {fifo, dir.path().toStdString()}) {
        try {
            loadMeasuredCsvFile(path, known());
            QFAIL("no error");
        } catch (const MeasuredError &e) {
            QCOMPARE(e.file(), path);
            QVERIFY2(std::string(e.what()).find("not a regular file") != std::string::npos, e.what());
        }
    }
    try {
        loadMeasuredCsvFile(dir.filePath(QStringLiteral("absent.csv")).toStdString());
        QFAIL("no error");
    } catch (const MeasuredError &e) {
        QVERIFY2(std::string(e.what()).find("absent.csv: cannot read") != std::string::npos, e.what());
    }
    const QString good = dir.filePath(QStringLiteral("good.csv"));
    writeFile(good, kHeader + "\ns,h200,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us\n");
    const auto points = loadMeasuredCsvFile(good.toStdString(), known());
    QCOMPARE(points.size(), std::size_t(1));
    QCOMPARE(points[0].id(), good.toStdString() + ":2");
}

void TestMeasured::refusesLargeFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.csv"));
    std::string text = kHeader + "\n";
    while (text.size() <= kMaxMeasuredBytes)
        text += "# padding padding padding padding padding padding padding padding padding padding\n";
    writeFile(path, text);
    try {
        loadMeasuredCsvFile(path.toStdString());
        QFAIL("no error");
    } catch (const MeasuredError &e) {
        QVERIFY2(std::string(e.what()).find("byte limit") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(MeasuredError, parseMeasuredCsv(text, "big.csv"));
}

void TestMeasured::parametersOfAPoint()
{
    const Parameters base = testutil::params("deepseek-v3", "h800");
    const auto points = parseMeasuredCsv(kHeader + ",heads,kv_heads,rope_dim\n"
                                         "s,h800,deepseek-v3,mla-reuse,decode,32,8192,2,fp8,kernel_time,50,us,16,1,0\n"
                                         "s,h800,deepseek-v3,mla-reuse,prefill,2,4096,,bf16,kernel_time,5,ms,,,\n",
                                         "p.csv", known());
    const Parameters a = measuredPointParameters(points[0], base.model, base.hardware, true);
    QCOMPARE(a.model.numHeads, 16);
    QCOMPARE(a.model.numKvHeads, 1);
    QCOMPARE(a.model.qkRopeHeadDim, 0);
    QCOMPARE(a.model.kvLoraRank, base.model.kvLoraRank);  // not overridden: the preset's
    QCOMPARE(a.model.qkNopeHeadDim, base.model.qkNopeHeadDim);
    QCOMPARE(a.hardware.id, std::string("h800"));
    QCOMPARE(a.workload.phase, Phase::Decode);
    QCOMPARE(a.workload.batch, 32);
    QCOMPARE(a.workload.kvLength, 8192LL);
    QCOMPARE(a.workload.queryLength, 2);
    QCOMPARE(a.precision.weightBits, 8);
    QCOMPARE(a.precision.kvBits, 8);
    QCOMPARE(a.precision.activationBits, 8);
    QVERIFY(a.applyDerates);

    const Parameters b = measuredPointParameters(points[1], base.model, base.hardware, false);
    QCOMPARE(b.model.numHeads, base.model.numHeads);
    QCOMPARE(b.workload.phase, Phase::Prefill);
    QCOMPARE(queryTokensPerRequest(b.workload), 4096LL);
    QCOMPARE(b.precision.kvBits, 16);
    QVERIFY(!b.applyDerates);
}

void TestMeasured::invalidConfigurationNamesTheColumn()
{
    const Parameters base = testutil::params("deepseek-v3", "h800");
    // 12 heads with the preset's 8 KV heads (not a divisor); MLA on a model without a latent.
    const auto points = parseMeasuredCsv(kHeader + ",heads,kv_lora_rank\n"
                                         "s,h800,deepseek-v3,gqa,decode,1,4096,1,bf16,kernel_time,10,us,12,\n"
                                         "s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,,0\n",
                                         "cfg.csv", known());
    const std::pair<int, const char *> expected[] = {{2, "kv_heads"}, {3, "kv_lora_rank"}};
    for (std::size_t i = 0; i < 2; ++i) {
        try {
            measuredPointParameters(points[i], base.model, base.hardware, false);
            QFAIL("no error");
        } catch (const MeasuredError &e) {
            QCOMPARE(e.line(), expected[i].first);
            QCOMPARE(e.column(), std::string(expected[i].second));
            QVERIFY2(std::string(e.what()).rfind("cfg.csv:" + std::to_string(expected[i].first) + ": ", 0) == 0, e.what());
        }
    }
}

QTEST_GUILESS_MAIN(TestMeasured)
#include "tst_measured.moc"
