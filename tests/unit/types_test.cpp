#include <gtest/gtest.h>

#include "schema/types.h"

namespace bru::schema {
namespace {

TEST(PortableType, PrintsAndParsesBack) {
  const std::vector<PortableType> types = {
      {TypeKind::kInt32},         {TypeKind::kDecimal, 0, 10, 2}, {TypeKind::kDecimal},
      {TypeKind::kVarchar, 40},   {TypeKind::kVarchar},           {TypeKind::kChar, 3},
      {TypeKind::kBinary, 16},    {TypeKind::kTimestampTz, 0, 0, 6},
      {TypeKind::kTime, 0, 0, 3}, {TypeKind::kUuid},              {TypeKind::kBlob},
  };
  for (const auto& type : types) {
    const auto text = to_string(type);
    const auto parsed = parse_portable_type(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, type) << text;
  }
  EXPECT_EQ(to_string({TypeKind::kDecimal, 0, 10, 2}), "decimal(10,2)");
  EXPECT_EQ(to_string({TypeKind::kVarchar, 40}), "varchar(40)");
}

TEST(PortableType, RejectsWhatItDidNotWrite) {
  for (const char* text : {"", "int", "decimal(10)", "varchar(x)", "varchar(4", "uuid(3)"}) {
    EXPECT_FALSE(parse_portable_type(text).has_value()) << text;
  }
}

TEST(PortableType, StorageAndBoundedness) {
  EXPECT_EQ(storage_of(TypeKind::kBool), Storage::kInt64);
  EXPECT_EQ(storage_of(TypeKind::kFloat32), Storage::kFloat64);
  EXPECT_EQ(storage_of(TypeKind::kDecimal), Storage::kBytes);
  EXPECT_TRUE(is_unbounded({TypeKind::kText}));
  EXPECT_TRUE(is_unbounded({TypeKind::kVarchar, 0}));
  EXPECT_FALSE(is_unbounded({TypeKind::kVarchar, 10}));
  EXPECT_FALSE(is_unbounded({TypeKind::kInt64}));
}

}  // namespace
}  // namespace bru::schema
