/*
 * demo-names.c: the word tables the Z121 demo draws from: Vietnamese
 * family, middle and given names, the organisation, the products, the
 * customer factories and the templates of innovation titles. Data only;
 * the generator is demo.c. Everything here is illustrative.
 */
#include <stddef.h>

#include "demo-int.h"

const char *const demo_family[] = { "Nguyễn", "Trần", "Lê", "Phạm",
    "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Cao", "Tạ", "Chu",
    "Kiều", NULL };
/* Family names are not equally common: the first ones weigh more. */
const int demo_family_weight[] = { 30, 12, 9, 7, 5, 3, 4, 4, 3, 3, 3, 3, 2,
    2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1 };
const char *const demo_middle_m[] = { "Văn", "Đức", "Minh", "Hữu", "Quang",
    "Công", "Đình", "Xuân", "Thanh", "Mạnh", "Việt", "Trung", "Ngọc", NULL };
const char *const demo_middle_f[] = { "Thị", "Thị", "Thu", "Ngọc", "Thanh",
    "Minh", "Hồng", "Phương", "Kim", "Thúy", NULL };
const char *const demo_given_m[] = { "An", "Bình", "Cường", "Dũng", "Đạt",
    "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Kiên", "Long",
    "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài",
    "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
    "Vinh", "Hưng", "Khoa", "Đông", "Hậu", NULL };
const char *const demo_given_f[] = { "Anh", "Châu", "Dung", "Giang", "Hà",
    "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan",
    "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo",
    "Thủy", "Trang", "Tuyết", "Vân", "Yến", NULL };

/* Workshops: code, name, bloc, military, what they make (product index). */
const struct demo_shop demo_shops[DEMO_NSHOPS] = {
	{ "A1", "Phân xưởng A1 – Mồi nổ, hạt lửa", "quoc-phong", 1 },
	{ "A2", "Phân xưởng A2 – Kíp nổ, ống nổ", "quoc-phong", 1 },
	{ "A3", "Phân xưởng A3 – Thuốc gợi nổ, thuốc hỏa thuật", "quoc-phong", 1 },
	{ "A4", "Phân xưởng A4 – Dây nổ, dây cháy chậm", "quoc-phong", 1 },
	{ "A5", "Phân xưởng A5 – Thuốc nổ công nghiệp", "kinh-te", 0 },
	{ "A6", "Phân xưởng A6 – Thuốc nổ nhũ tương", "kinh-te", 0 },
	{ "A7", "Phân xưởng A7 – Pháo hoa", "kinh-te", 0 },
	{ "A8", "Phân xưởng A8 – Cơ điện, dụng cụ", "quoc-phong", 1 },
	{ "A9", "Phân xưởng A9 – Bao bì, hòm hộp", "kinh-te", 0 },
};

const struct demo_dept demo_depts[DEMO_NDEPTS] = {
	{ "P-KH", "Phòng Kế hoạch – Kinh doanh" },
	{ "P-KT", "Phòng Kỹ thuật – Công nghệ" },
	{ "P-KCS", "Phòng Kiểm tra chất lượng (KCS)" },
	{ "P-AT", "Phòng An toàn – Môi trường" },
	{ "P-TC", "Phòng Tổ chức – Lao động" },
	{ "P-CT", "Phòng Chính trị" },
	{ "P-TCKT", "Phòng Tài chính – Kế toán" },
	{ "P-VT", "Phòng Vật tư – Xuất nhập khẩu" },
	{ "P-HC", "Phòng Hành chính – Hậu cần" },
};

/* Defence semi-finished product families, made by workshops A1–A4. */
const struct demo_family demo_defence[] = {
	{ "Bán thành phẩm mồi nổ loại %02d", 0 },
	{ "Bán thành phẩm hạt lửa loại %02d", 0 },
	{ "Bán thành phẩm kíp nổ loại %02d", 1 },
	{ "Bán thành phẩm ống nổ loại %02d", 1 },
	{ "Bán thành phẩm thuốc gợi nổ loại %02d", 2 },
	{ "Bán thành phẩm thuốc hỏa thuật loại %02d", 2 },
	{ "Bán thành phẩm dây cháy chậm loại %02d", 3 },
	{ "Bán thành phẩm dây nổ quốc phòng loại %02d", 3 },
	{ NULL, 0 }
};

/* Civilian products: name, workshop index. */
const struct demo_family demo_civil[] = {
	{ "Thuốc nổ công nghiệp AD1", 4 },
	{ "Thuốc nổ công nghiệp TNP1", 4 },
	{ "Thuốc nổ nhũ tương năng lượng cao", 5 },
	{ "Thuốc nổ nhũ tương dùng cho lộ thiên", 5 },
	{ "Kíp nổ vi sai phi điện", 1 },
	{ "Kíp nổ vi sai an toàn", 1 },
	{ "Dây nổ chịu nước", 3 },
	{ "Dây nổ thường", 3 },
	{ "Pháo hoa tầm thấp", 6 },
	{ "Pháo hoa tầm cao", 6 },
	{ NULL, 0 }
};

const char *const demo_customers[] = { "Z111", "Z113", "Z115", "Z117",
    "Z127", "Z129", "Z131", "Z183", "Z195", NULL };
const char *const demo_civil_customers[] = { "Công ty khai thác mỏ (minh họa)",
    "Tổng công ty than (minh họa)", "Công ty xi măng (minh họa)",
    "Khách hàng xuất khẩu (minh họa)", "Ban tổ chức lễ hội (minh họa)", NULL };

/* Innovation title templates; %s is a product or a stage. */
const char *const demo_research_t[] = {
	"Nghiên cứu hoàn thiện công nghệ sản xuất %s",
	"Nghiên cứu nâng cao độ ổn định chất lượng %s",
	"Nghiên cứu thay thế vật liệu nhập khẩu trong %s",
	"Nghiên cứu giảm tiêu hao nguyên liệu khi sản xuất %s",
	"Nghiên cứu nâng cao an toàn công đoạn sản xuất %s", NULL };
const char *const demo_mech_t[] = {
	"Cơ khí hóa khâu %s",
	"Tự động hóa dây chuyền %s",
	"Thiết kế, chế tạo thiết bị %s",
	"Điều khiển từ xa công đoạn %s", NULL };
const char *const demo_init_t[] = {
	"Cải tiến đồ gá cho khâu %s",
	"Hợp lý hóa quy trình %s",
	"Giảm phế phẩm ở khâu %s",
	"Cải tiến bao gói, vận chuyển nội bộ cho %s",
	"Tiết kiệm năng lượng ở khâu %s", NULL };
const char *const demo_stages[] = { "trộn thuốc", "nạp thuốc mồi",
    "ép hạt lửa", "bện dây nổ", "bọc nhựa dây nổ", "lắp ráp kíp",
    "sấy thuốc", "đóng gói thành phẩm", "kiểm tra KCS", "cắt dây cháy chậm",
    "nhũ hóa", "nạp pháo hoa", NULL };
