// SPDX-License-Identifier: MIT
// Parameters JSON: round trip, and defensive reading (unknown fields, wrong types are named).
#include "testutil.h"

#include "mlastudio/core/report.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>
#include <string>

using namespace mlastudio::core;
using nlohmann::json;

Q_DECLARE_METATYPE(std::function<void(json &)>)

class TestReport : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void partialSectionsKeepBase();
    void unknownFieldsAreRejected_data();
    void unknownFieldsAreRejected();
};

void TestReport::roundTrip()
{
    const Parameters p = testutil::params8("deepseek-v3", "h100-sxm");
    const json j = parametersToJson(p);
    const Parameters back = parametersFromJson(j, Parameters{});
    QVERIFY(parametersToJson(back) == j);
}

void TestReport::partialSectionsKeepBase()
{
    const Parameters base = testutil::params("deepseek-v3", "h100-sxm");
    const json j = {{"workload", {{"batch", 7}}}, {"precision", {{"kv_bits", 4}}}};
    const Parameters p = parametersFromJson(j, base);
    QCOMPARE(p.workload.batch, 7);
    QCOMPARE(p.precision.kvBits, 4);
    QCOMPARE(p.hardware.dramBandwidthBytesPerS, base.hardware.dramBandwidthBytesPerS);
    QCOMPARE(p.model.numHeads, base.model.numHeads);
}

void TestReport::unknownFieldsAreRejected_data()
{
    QTest::addColumn<std::function<void(json &)>>("edit");
    QTest::addColumn<QString>("expected");  // the start of the message: the field path and the problem

    QTest::newRow("top level") << std::function<void(json &)>([](json &j) { j["colour"] = "red"; })
                               << QStringLiteral("colour: unknown field; expected one of schema, model, hardware");
    QTest::newRow("model") << std::function<void(json &)>([](json &j) { j["model"]["num_head"] = 8; })
                           << QStringLiteral("model.num_head: unknown field; expected one of id, name, attention");
    QTest::newRow("hardware")
        << std::function<void(json &)>([](json &j) { j["hardware"]["dram_bandwidth"] = 1e12; })
        << QStringLiteral("hardware.dram_bandwidth: unknown field; expected one of id, name, peak_flops_bf16");
    QTest::newRow("workload") << std::function<void(json &)>([](json &j) { j["workload"]["kv_lenght"] = 4096; })
                              << QStringLiteral("workload.kv_lenght: unknown field; expected one of phase, batch");
    QTest::newRow("precision") << std::function<void(json &)>([](json &j) { j["precision"]["bits"] = 8; })
                               << QStringLiteral("precision.bits: unknown field; expected one of weight_bits");
    QTest::newRow("section not object") << std::function<void(json &)>([](json &j) { j["workload"] = 3; })
                                        << QStringLiteral("workload: expected an object");
    QTest::newRow("wrong type") << std::function<void(json &)>([](json &j) { j["workload"]["batch"] = "many"; })
                                << QStringLiteral("workload.batch: expected an integer");
}

void TestReport::unknownFieldsAreRejected()
{
    QFETCH(std::function<void(json &)>, edit);
    QFETCH(QString, expected);
    json j = parametersToJson(testutil::params());
    edit(j);
    try {
        parametersFromJson(j, Parameters{});
        QFAIL("no error for an unknown or malformed field");
    } catch (const std::invalid_argument &e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }
}

QTEST_APPLESS_MAIN(TestReport)
#include "tst_report.moc"
