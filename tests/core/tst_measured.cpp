// SPDX-License-Identifier: MIT
// The measured-points CSV loader (docs/measured.md): good files, every bad-row error, file checks.
#include "check.h"
#include "fifoguard.h"
#include "testutil.h"

#include "mlastudio/core/measured.h"
#include "mlastudio/core/presets.h"

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

void writeFile(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE(parsesAGoodFile)
{
    // BOM, comments, blank lines, CRLF, a quoted field with a comma and a literal quote.
    const std::string text = "\xEF\xBB\xBF# published FlashMLA numbers\r\n"
                             "\r\n" + kHeader + ",anomalous,note\r\n"
                             "  # indented comment\r\n"
                             "\"https://example.org/a,b\",h800,deepseek-v3,mla-reuse,decode,64,4096,2,bf16,kernel_time,45.5,us,,\"read \"\"as is\"\"\"\r\n"
                             "owner/repo:bench.py,h100-sxm,llama-3.1-70b,gqa,prefill,1,8192,,fp8,kernel_time,1.25,ms,yes,\n";
    const std::vector<MeasuredPoint> points = parseMeasuredCsv(text, "pts.csv", known());
    CHECK_EQ(points.size(), std::size_t(2));
    const MeasuredPoint &a = points[0];
    CHECK_EQ(a.file, std::string("pts.csv"));
    CHECK_EQ(a.line, 5);
    CHECK_EQ(a.id(), std::string("pts.csv:5"));
    CHECK_EQ(a.source, std::string("https://example.org/a,b"));
    CHECK_EQ(a.hardwareId, std::string("h800"));
    CHECK_EQ(a.modelId, std::string("deepseek-v3"));
    CHECK(a.scheme == Scheme::MlaReuse);
    CHECK(a.phase == Phase::Decode);
    CHECK_EQ(a.batch, 64);
    CHECK_EQ(a.seqLen, 4096LL);
    CHECK_EQ(a.queryLen, 2);
    CHECK(a.dtype == MeasuredDtype::Bf16);
    CHECK_EQ(a.dtypeBits, 16);
    CHECK_EQ(a.measuredTimeS, 45.5e-6);
    CHECK(!a.anomalous);
    CHECK_EQ(a.note, std::string("read \"as is\""));
    CHECK(!a.heads && !a.kvHeads && !a.headDim && !a.vHeadDim && !a.kvLoraRank && !a.ropeDim);

    const MeasuredPoint &b = points[1];
    CHECK_EQ(b.line, 6);
    CHECK(b.scheme == Scheme::Gqa);
    CHECK(b.phase == Phase::Prefill);
    CHECK_EQ(b.queryLen, 1);  // empty: the default (prefill uses S = L)
    CHECK(b.dtype == MeasuredDtype::Fp8);
    CHECK_EQ(b.dtypeBits, 8);
    CHECK_EQ(b.measuredTimeS, 1.25e-3);
    CHECK(b.anomalous);
    CHECK(b.note.empty());
}

TEST_CASE(columnsInAnyOrderAndOverrides)
{
    const std::string text = "unit,value,measured,dtype,seq_len,batch,phase,scheme,heads,kv_heads,head_dim,v_head_dim,"
                             "kv_lora_rank,rope_dim,model,hardware,source,anomalous\n"
                             "us,30,kernel_time,fp16,16384,128,decode,mla-reuse,16,1,128,128,512,64,deepseek-v3,h800,src,no\n"
                             "us,7e1,kernel_time,bf16,1024,+4,decode,mha,32,,,96,0,0,deepseek-v3,h800,src,1\n";
    const auto points = parseMeasuredCsv(text, "o.csv", known());
    CHECK_EQ(points.size(), std::size_t(2));
    CHECK_EQ(*points[0].heads, 16);
    CHECK_EQ(*points[0].kvHeads, 1);
    CHECK_EQ(*points[0].headDim, 128);
    CHECK_EQ(*points[0].vHeadDim, 128);
    CHECK_EQ(*points[0].kvLoraRank, 512);
    CHECK_EQ(*points[0].ropeDim, 64);
    CHECK(points[0].dtype == MeasuredDtype::Fp16);
    CHECK_EQ(points[0].dtypeBits, 16);
    CHECK_EQ(points[0].measuredTimeS, 30e-6);
    CHECK_EQ(points[1].batch, 4);
    CHECK_EQ(points[1].measuredTimeS, 70e-6);
    CHECK(!points[1].kvHeads && !points[1].headDim);
    CHECK_EQ(*points[1].kvLoraRank, 0);
    CHECK(points[1].anomalous);
    // Without a check every id is accepted.
    CHECK_EQ(parseMeasuredCsv(kHeader + "\ns,any-gpu,any-model,mha,decode,1,1,1,bf16,kernel_time,1,us\n", "x.csv").size(),
             std::size_t(1));
}

TEST_CASE(badRows)
{
    struct Bad {
        const char *name;
        std::string csv;
        int line;
        std::string column;
        std::string found;  // what the message must quote
    };
    const auto row = [](const char *r) { return kHeader + "\n# c\n" + r + "\n"; };
    const std::vector<Bad> cases = {
        {"missing source", row(",h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "source", "an empty field"},
        {"blank source", row("  ,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "source", "an empty field"},
        {"zero value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,0,us"), 3, "value", "'0'"},
        {"negative value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,-3.5,us"), 3, "value", "'-3.5'"},
        {"infinite value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,inf,us"), 3, "value", "'inf'"},
        {"nan value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,nan,us"), 3, "value", "'nan'"},
        {"overflowing value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,1e400,us"), 3, "value", "'1e400'"},
        {"text value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,12us,us"), 3, "value", "'12us'"},
        {"missing value", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,,us"), 3, "value", "an empty field"},
        {"unknown hardware", row("s,h900,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "hardware", "'h900'"},
        {"unknown model", row("s,h800,deepseek-v9,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "model", "'deepseek-v9'"},
        {"unknown scheme", row("s,h800,deepseek-v3,mla-absorb,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "scheme", "'mla-absorb'"},
        {"unknown phase", row("s,h800,deepseek-v3,mla-reuse,train,1,4096,1,bf16,kernel_time,10,us"), 3, "phase", "'train'"},
        {"unknown dtype", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,fp32,kernel_time,10,us"), 3, "dtype", "'fp32'"},
        {"unknown measured", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,tflops,10,us"), 3, "measured", "'tflops'"},
        {"unknown unit", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,ns"), 3, "unit", "'ns'"},
        {"batch zero", row("s,h800,deepseek-v3,mla-reuse,decode,0,4096,1,bf16,kernel_time,10,us"), 3, "batch", "'0'"},
        {"batch past int", row("s,h800,deepseek-v3,mla-reuse,decode,4294967297,4096,1,bf16,kernel_time,10,us"), 3, "batch",
         "'4294967297'"},
        {"batch past long long", row("s,h800,deepseek-v3,mla-reuse,decode,99999999999999999999999,4096,1,bf16,kernel_time,10,us"), 3,
         "batch", "'99999999999999999999999'"},
        {"batch not an integer", row("s,h800,deepseek-v3,mla-reuse,decode,2.5,4096,1,bf16,kernel_time,10,us"), 3, "batch", "'2.5'"},
        {"seq_len too long", row("s,h800,deepseek-v3,mla-reuse,decode,1,1073741825,1,bf16,kernel_time,10,us"), 3, "seq_len",
         "'1073741825'"},
        {"query_len past L", row("s,h800,deepseek-v3,mla-reuse,decode,1,64,65,bf16,kernel_time,10,us"), 3, "query_len", "'65'"},
        {"prefill query_len", row("s,h800,deepseek-v3,mla-reuse,prefill,1,64,2,bf16,kernel_time,10,us"), 3, "query_len", "'2'"},
        {"heads out of range", kHeader + ",heads\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,2097152\n", 2,
         "heads", "'2097152'"},
        {"negative rope", kHeader + ",rope_dim\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,-1\n", 2,
         "rope_dim", "'-1'"},
        {"bad anomalous", kHeader + ",anomalous\ns,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,maybe\n", 2,
         "anomalous", "'maybe'"},
        {"unknown column", "# x\n" + kHeader + ",tflops\n", 2, "tflops", "'tflops'"},
        {"duplicate column", kHeader + ",batch\n", 1, "batch", "'batch'"},
        {"missing column", "source,hardware,model,scheme,phase,batch,seq_len,dtype,measured,unit\n", 1, "value", "'value'"},
        {"too few fields", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10"), 3, "", "found 11"},
        {"too many fields", row("s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us,x"), 3, "", "found 13"},
        {"unclosed quote", row("\"s,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "source", "not closed"},
        {"text after quote", row("\"s\"x,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "source", "'x'"},
        {"quote inside field", row("s,h8\"00,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "hardware",
         "'h8\"00'"},
        {"not UTF-8", row("s\xff,h800,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us"), 3, "", "not UTF-8"},
        {"no header", "# only comments\n\n", 0, "", "no header"},
    };
    for (const Bad &c : cases) {
        try {
            parseMeasuredCsv(c.csv, "bad.csv", known());
            FAIL(std::string(c.name) + ": no error");
        } catch (const MeasuredError &e) {
            const std::string what = e.what();
            const std::string where = c.line > 0 ? "bad.csv:" + std::to_string(c.line) + ": " : "bad.csv: ";
            CHECK_MSG(e.file() == "bad.csv", c.name);
            CHECK_MSG(e.line() == c.line, std::string(c.name) + ": line " + std::to_string(e.line()));
            CHECK_MSG(e.column() == c.column, std::string(c.name) + ": column " + e.column());
            CHECK_MSG(what.rfind(where, 0) == 0, std::string(c.name) + ": " + what);
            if (!c.column.empty())
                CHECK_MSG(contains(what, "'" + c.column + "'"), std::string(c.name) + ": " + what);
            CHECK_MSG(contains(what, c.found), std::string(c.name) + ": " + what);
        }
    }
}

TEST_CASE(refusesFilesThatAreNotRegular)
{
    check::TempDir dir;
    const std::string fifo = dir.file("pipe.csv");
    CHECK_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // A FIFO without a writer would block open(); the loader must refuse it before opening.
    std::string fifoError;
    CHECK(testutil::readsWithoutBlocking(fifo, [&] {
        try {
            loadMeasuredCsvFile(fifo, known());
        } catch (const MeasuredError &e) {
            fifoError = e.what();
        }
    }));
    CHECK_MSG(contains(fifoError, fifo + ": is a FIFO, not a regular file"), fifoError);
    for (const auto &[path, problem] : {std::pair{dir.path(), std::string("is a directory")},
                                        std::pair{dir.file("absent.csv"), std::string("no such file")}}) {
        try {
            loadMeasuredCsvFile(path, known());
            FAIL("no error for " + path);
        } catch (const MeasuredError &e) {
            CHECK_EQ(e.file(), path);
            CHECK_EQ(e.line(), 0);
            CHECK_MSG(contains(e.what(), path + ": " + problem), e.what());
        }
    }
    const std::string good = dir.file("good.csv");
    writeFile(good, kHeader + "\ns,h200,deepseek-v3,mla-reuse,decode,1,4096,1,bf16,kernel_time,10,us\n");
    const auto points = loadMeasuredCsvFile(good, known());
    CHECK_EQ(points.size(), std::size_t(1));
    CHECK_EQ(points[0].id(), good + ":2");
}

TEST_CASE(refusesLargeFiles)
{
    check::TempDir dir;
    const std::string path = dir.file("big.csv");
    std::string text = kHeader + "\n";
    while (text.size() <= kMaxMeasuredBytes)
        text += "# padding padding padding padding padding padding padding padding padding padding\n";
    writeFile(path, text);
    try {
        loadMeasuredCsvFile(path);
        FAIL("no error");
    } catch (const MeasuredError &e) {
        CHECK_MSG(contains(e.what(), "big.csv: is " + std::to_string(text.size()) + " bytes, more than the 4194304-byte limit"), e.what());
    }
    try {
        parseMeasuredCsv(text, "big.csv");
        FAIL("no error");
    } catch (const MeasuredError &e) {
        CHECK_MSG(contains(e.what(), "byte limit"), e.what());
    }
}

TEST_CASE(parametersOfAPoint)
{
    const Parameters base = testutil::params("deepseek-v3", "h800");
    const auto points = parseMeasuredCsv(kHeader + ",heads,kv_heads,rope_dim\n"
                                         "s,h800,deepseek-v3,mla-reuse,decode,32,8192,2,fp8,kernel_time,50,us,16,1,0\n"
                                         "s,h800,deepseek-v3,mla-reuse,prefill,2,4096,,bf16,kernel_time,5,ms,,,\n",
                                         "p.csv", known());
    const Parameters a = measuredPointParameters(points[0], base.model, base.hardware, true);
    CHECK(a.scope == Scope::Kernel);
    CHECK_EQ(a.model.numHeads, 16);
    CHECK_EQ(a.model.numKvHeads, 1);
    CHECK_EQ(a.model.qkRopeHeadDim, 0);
    CHECK_EQ(a.model.kvLoraRank, base.model.kvLoraRank);  // not overridden: the preset's
    CHECK_EQ(a.model.qkNopeHeadDim, base.model.qkNopeHeadDim);
    CHECK_EQ(a.hardware.id, std::string("h800"));
    CHECK(a.workload.phase == Phase::Decode);
    CHECK_EQ(a.workload.batch, 32);
    CHECK_EQ(a.workload.kvLength, 8192LL);
    CHECK_EQ(a.workload.queryLength, 2);
    CHECK_EQ(a.precision.weightBits, 8);
    CHECK_EQ(a.precision.kvBits, 8);
    CHECK_EQ(a.precision.activationBits, 8);
    CHECK(a.applyDerates);

    const Parameters b = measuredPointParameters(points[1], base.model, base.hardware, false);
    CHECK_EQ(b.model.numHeads, base.model.numHeads);
    CHECK(b.workload.phase == Phase::Prefill);
    CHECK_EQ(queryTokensPerRequest(b.workload), 4096LL);
    CHECK_EQ(b.precision.kvBits, 16);
    CHECK(!b.applyDerates);
}

TEST_CASE(invalidConfigurationNamesTheColumn)
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
            FAIL("no error");
        } catch (const MeasuredError &e) {
            CHECK_EQ(e.line(), expected[i].first);
            CHECK_EQ(e.column(), std::string(expected[i].second));
            CHECK_MSG(std::string(e.what()).rfind("cfg.csv:" + std::to_string(expected[i].first) + ": ", 0) == 0, e.what());
        }
    }
}

CHECK_MAIN()
