// i18n.js: the one translation table of the web app. Every label the app
// shows comes from here: t('key') in the current language (Vietnamese by
// default, English on demand, remembered in localStorage). Codes from the
// contract (statuses, ratings, categories, award codes…) have their labels
// here too, under "prefix.CODE" keys; label(prefix, code) falls back to the
// code itself when a value is new.

const T = {
	'app.title': ['Thi đua – Khen thưởng', 'Emulation & Commendation'],
	'app.skip': ['Bỏ qua, tới nội dung', 'Skip to content'],
	'demo.banner': ['Dữ liệu minh họa: cơ sở dữ liệu này đang chứa dữ liệu mẫu của Nhà máy Z121, không phải số liệu thật.',
		'Illustrative data: this database holds the Factory Z121 sample, not real figures.'],
	'lang.switch': ['English', 'Tiếng Việt'],
	'lang.switch.label': ['Switch to English', 'Chuyển sang tiếng Việt'],
	'nav.dashboard': ['Tổng quan', 'Dashboard'],
	'nav.tasks': ['Nhiệm vụ', 'Key tasks'],
	'nav.units': ['Đơn vị & cá nhân', 'Units & people'],
	'nav.entry': ['Nhập liệu', 'Data entry'],
	'nav.import': ['Nhập tệp CSV', 'CSV upload'],
	'nav.movements': ['Phong trào', 'Movements'],
	'nav.council': ['Hội đồng', 'Council'],
	'nav.logout': ['Đăng xuất', 'Log out'],
	'nav.menu': ['Trình đơn', 'Menu'],
	'nav.main': ['Điều hướng chính', 'Main navigation'],

	'login.title': ['Đăng nhập', 'Log in'],
	'login.intro': ['Hệ thống quản lý thi đua, khen thưởng', 'Emulation and commendation management'],
	'login.login': ['Tên đăng nhập', 'Login'],
	'login.password': ['Mật khẩu', 'Password'],
	'login.submit': ['Đăng nhập', 'Log in'],
	'login.failed': ['Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.'],
	'login.expired': ['Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.', 'Your session has expired. Please log in again.'],
	'login.loggedout': ['Đã đăng xuất.', 'Logged out.'],
	'login.throttled': ['Quá nhiều lần thử. Vui lòng đợi rồi thử lại.', 'Too many attempts. Please wait and try again.'],

	'common.loading': ['Đang tải…', 'Loading…'],
	'common.none': ['Không có', 'None'],
	'common.error': ['Lỗi', 'Error'],
	'common.save': ['Lưu', 'Save'],
	'common.code': ['Mã', 'Code'],
	'common.name': ['Tên', 'Name'],
	'common.unit': ['Đơn vị', 'Unit'],
	'common.year': ['Năm', 'Year'],
	'common.date': ['Ngày', 'Date'],
	'common.as_of': ['Tính đến ngày', 'As of'],
	'common.apply': ['Xem', 'Show'],
	'common.optional': ['không bắt buộc', 'optional'],
	'common.showall': ['Xem tất cả {0} dòng', 'Show all {0} rows'],

	'dash.title': ['Tổng quan', 'Dashboard'],
	'dash.scope': ['Phạm vi', 'Scope'],
	'dash.risk': ['Nhiệm vụ trọng tâm có nguy cơ chậm', 'Key tasks at risk'],
	'dash.risk.headline': ['Cần chú ý nhất: {0} ({1}) dự báo xong {4}, hạn {5}; làm chậm {3} nhiệm vụ khác và đơn vị nhận {2}.', 'Most urgent: {0} ({1}) is forecast to finish {4}, due {5}; it holds up {3} other task(s) and {2}.'],
	'dash.risk.none': ['Không có nhiệm vụ nào chậm hoặc có nguy cơ chậm.', 'No key task is late or at risk.'],
	'dash.risk.hint': ['Khâu căng, việc khó xếp trước; bấm vào nhiệm vụ để xem nguyên nhân.', 'Hard tasks first; open a task to see its cause.'],
	'dash.campaigns': ['Phong trào và đợt thi đua đang diễn ra', 'Current movements and campaigns'],
	'dash.campaigns.none': ['Chưa có phong trào nào có chỉ tiêu.', 'No movement has targets yet.'],
	'dash.growth': ['Tăng trưởng chỉ tiêu sản xuất kinh doanh', 'Business indicator growth'],
	'dash.growth.none': ['Chưa có số liệu chỉ tiêu.', 'No indicator data yet.'],
	'dash.growth.index': ['So với năm gốc {0} (lần)', 'Against base year {0} (×)'],
	'dash.growth.from': ['Năm gốc', 'Base year'],
	'dash.growth.to': ['Đến năm', 'To year'],
	'dash.growth.cagr': ['Bình quân/năm', 'CAGR'],
	'dash.growth.yoy': ['So với năm trước (%)', 'Year over year (%)'],
	'dash.awards': ['Khen thưởng đã quyết định năm {0}', 'Awards decided in {0}'],
	'dash.awards.none': ['Chưa có quyết định khen thưởng nào trong năm.', 'No award decided this year yet.'],
	'dash.ratings': ['Quân số và xếp loại năm {0}', 'Head count and ratings, {0}'],
	'dash.people': ['Người', 'People'],
	'dash.units': ['Đơn vị', 'Units'],
	'dash.awards.count': ['Khen thưởng', 'Awards'],
	'dash.load': ['Thời gian tải trang', 'Page load time'],

	'tasks.title': ['Nhiệm vụ trọng tâm', 'Key tasks'],
	'tasks.all': ['Tất cả', 'All'],
	'task.task': ['Nhiệm vụ', 'Task'],
	'task.customer': ['Đơn vị nhận', 'Customer'],
	'task.product': ['Sản phẩm', 'Product'],
	'task.quantity': ['Số lượng', 'Quantity'],
	'task.done': ['Đã làm', 'Done'],
	'task.planned': ['Kế hoạch đến nay', 'Planned to date'],
	'task.start': ['Bắt đầu', 'Start'],
	'task.due': ['Hạn', 'Due'],
	'task.forecast': ['Dự báo xong', 'Forecast finish'],
	'task.slip': ['Chậm (ngày)', 'Slip (days)'],
	'task.status': ['Tình trạng', 'Status'],
	'task.cause': ['Nguyên nhân', 'Cause'],
	'task.impacts': ['Làm chậm', 'Holds up'],
	'task.hard': ['Khâu căng, việc khó', 'Hard task'],
	'task.chart': ['Lũy kế thực hiện so với kế hoạch', 'Cumulative output against the plan'],
	'task.plan': ['Kế hoạch', 'Plan'],
	'task.days': ['ngày', 'days'],
	'task.pace': ['Nhịp độ (/ngày)', 'Pace (/day)'],
	'task.cause.upstream': ['Chờ khâu trước: {0}', 'Waiting for upstream: {0}'],
	'task.cause.own': ['Nhịp độ của chính nhiệm vụ không đủ', 'Its own pace is too slow'],
	'task.cause.stalled': ['Không có tiến độ trong {0} ngày gần đây', 'No progress in the last {0} days'],
	'task.cause.late': ['Đã quá hạn mà chưa xong', 'Past due and not done'],
	'task.cause.nopace': ['Chưa đủ số liệu tiến độ để tính nhịp độ', 'Not enough progress to measure a pace'],
	'task.forecast.none': ['chưa dự báo được', 'no forecast yet'],
	'task.chain.up': ['Khâu trước (nguyên nhân)', 'Upstream (cause)'],
	'task.chain.down': ['Khâu sau bị ảnh hưởng', 'Downstream held up'],
	'task.progress': ['Tiến độ đã ghi', 'Progress recorded'],
	'task.progress.add': ['Ghi tiến độ', 'Enter progress'],
	'task.forecast.changed': ['Dự báo đã cập nhật: {0} → {1}', 'Forecast updated: {0} → {1}'],
	'task.notfound': ['Không có nhiệm vụ mã {0}.', 'No task with code {0}.'],
	'task.campaign': ['Phát động đợt thi đua đột kích', 'Launch a raid campaign'],
	'task.campaign.intro': ['Đợt thi đua gợi ý để kéo dự báo về đúng hạn: xem lại phong trào và chỉ tiêu trước khi phát động.', 'A suggested campaign to bring the forecast back to the due date: review the movement and its target before launching it.'],
	'task.campaign.why': ['Còn {0} trong {1} ngày: cần {2} mỗi ngày (nhịp độ hiện nay {3}).', '{0} left in {1} days: {2} a day needed (pace now {3}).'],
	'task.campaign.period': ['Thời gian', 'Period'],
	'task.campaign.yaml': ['Phong trào (YAML)', 'Movement (YAML)'],
	'task.campaign.confirm': ['Xác nhận phát động', 'Confirm and launch'],
	'task.campaign.none': ['Không có đợt thi đua gợi ý: nhiệm vụ không thể bắt đầu trước hạn (chờ khâu trước), hãy phát động ở khâu trước.', 'No suggested campaign: the task cannot begin before its due date (it waits for upstream work); launch one upstream.'],
	'task.campaign.role': ['Chỉ quản trị viên hoặc chỉ huy đơn vị mới phát động được đợt thi đua.', 'Only an administrator or the unit\'s commander can launch a campaign.'],

	'status.done': ['Đã xong', 'Done'],
	'status.late': ['Quá hạn', 'Late'],
	'status.stalled': ['Đình trệ', 'Stalled'],
	'status.at_risk': ['Có nguy cơ chậm', 'At risk'],
	'status.on_track': ['Đúng tiến độ', 'On track'],

	'units.title': ['Đơn vị và cá nhân', 'Units and people'],
	'units.tree': ['Cây đơn vị', 'Unit tree'],
	'units.search': ['Tìm đơn vị hoặc người', 'Find a unit or person'],
	'subject.kind.unit': ['Đơn vị', 'Unit'],
	'subject.kind.person': ['Cá nhân', 'Person'],
	'subject.parent': ['Trực thuộc', 'Part of'],
	'subject.children': ['Đơn vị trực thuộc', 'Sub-units'],
	'subject.members': ['Cán bộ, nhân viên', 'Members'],
	'subject.category': ['Đối tượng', 'Category'],
	'subject.joined': ['Ngày vào', 'Joined'],
	'subject.history': ['Quá trình thi đua qua các năm', 'History year by year'],
	'subject.rating': ['Xếp loại', 'Rating'],
	'subject.awards': ['Danh hiệu, khen thưởng', 'Titles and commendations'],
	'subject.innovations': ['Sáng kiến, đề tài', 'Innovations'],
	'subject.discipline': ['Kỷ luật', 'Discipline'],
	'subject.incidents': ['Sự cố an toàn', 'Safety incidents'],
	'subject.history.none': ['Chưa có dữ liệu.', 'No data yet.'],
	'subject.elig': ['Đủ điều kiện danh hiệu năm {0}', 'Eligibility for {0}'],
	'subject.elig.missing': ['Còn thiếu', 'Missing'],
	'subject.elig.based_on': ['Dựa trên', 'Based on'],
	'subject.elig.evidence': ['Căn cứ', 'Evidence'],
	'subject.notfound': ['Không có đơn vị hoặc người mã {0}.', 'No unit or person with code {0}.'],

	'verdict.eligible': ['Đủ điều kiện', 'Eligible'],
	'verdict.ineligible': ['Chưa đủ điều kiện', 'Not eligible'],
	'verdict.over_quota': ['Vượt tỷ lệ', 'Over quota'],
	'verdict.held': ['Tạm dừng xét', 'Held'],

	'entry.title': ['Nhập liệu', 'Data entry'],
	'entry.intro': ['Chọn loại số liệu, điền biểu mẫu; máy chủ kiểm tra và báo lỗi ngay tại ô nhập.', 'Pick a kind, fill in the form; the server checks it and shows errors at the field.'],
	'entry.done': ['Đã ghi {0} dòng vào {1}.', 'Wrote {0} row(s) to {1}.'],
	'entry.fix': ['Vui lòng sửa các ô được đánh dấu.', 'Please correct the marked fields.'],

	'import.title': ['Nhập tệp CSV', 'CSV upload'],
	'import.intro': ['Tải tệp CSV lên: hệ thống kiểm tra trước (không ghi gì), báo từng dòng lỗi; chỉ khi không còn lỗi mới ghi, tất cả hoặc không gì cả.', 'Upload a CSV file: it is checked first (nothing written) with every faulty line named; only when it is clean is it written, all or nothing.'],
	'import.kind': ['Loại dữ liệu', 'Kind'],
	'import.file': ['Tệp CSV (UTF-8)', 'CSV file (UTF-8)'],
	'import.check': ['Kiểm tra trước', 'Check (dry run)'],
	'import.write': ['Ghi vào cơ sở dữ liệu', 'Write to the database'],
	'import.ok': ['Tệp hợp lệ: {0} dòng sẵn sàng để ghi.', 'The file is valid: {0} row(s) ready to write.'],
	'import.written': ['Đã ghi {0} dòng vào {1}.', 'Wrote {0} row(s) to {1}.'],
	'import.errors': ['Tệp có lỗi, chưa ghi gì:', 'The file has errors; nothing was written:'],
	'import.line': ['Dòng', 'Line'],
	'import.field': ['Cột', 'Column'],
	'import.message': ['Lỗi', 'Error'],
	'import.columns': ['Các cột', 'Columns'],
	'import.nofile': ['Chọn một tệp CSV trước.', 'Choose a CSV file first.'],

	'mv.title': ['Phong trào thi đua', 'Emulation movements'],
	'mv.all': ['Mọi phong trào', 'All movements'],
	'mv.veto': ['phủ quyết', 'veto'],
	'mv.weight': ['Trọng số', 'Weight'],
	'mv.scoring': ['Cách chấm', 'Scoring'],
	'mvkind.regular': ['Thường xuyên', 'Regular'],
	'mvkind.campaign': ['Đột kích, theo đợt', 'Campaign'],
	'mvkind.thematic': ['Chuyên đề', 'Thematic'],
	'mv.standings': ['Bảng xếp hạng', 'Standings'],
	'mv.recognise': ['Khen thưởng kịp thời', 'Prompt recognition'],
	'mv.recognise.hint': ['Những người dẫn đầu mỗi nhóm của đợt thi đua được đề nghị và quyết định tặng Giấy khen ngay.',
		'The best of each group in this campaign are proposed and awarded a Giấy khen at once.'],
	'mv.recognise.top': ['Số người dẫn đầu mỗi nhóm', 'Top per group'],
	'mv.recognise.go': ['Khen thưởng', 'Recognise'],
	'mv.rank': ['Hạng', 'Rank'],
	'mv.score': ['Điểm', 'Score'],
	'mv.subject': ['Đối tượng', 'Subject'],
	'mv.rating': ['Xếp loại', 'Rating'],
	'mv.vetoed': ['bị phủ quyết', 'vetoed'],
	'mv.targets': ['Chỉ tiêu', 'Targets'],
	'mv.targets.edit': ['Giao hoặc sửa chỉ tiêu', 'Set or edit a target'],
	'mv.criterion': ['Tiêu chí', 'Criterion'],
	'mv.target': ['Chỉ tiêu', 'Target'],
	'mv.create': ['Tạo hoặc sửa phong trào', 'Create or edit a movement'],
	'mv.create.hint': ['Phong trào (tiêu chí, trọng số, cách chấm) được khai báo bằng tệp YAML và nạp bằng lệnh:', 'A movement (criteria, weights, scoring) is declared in a YAML file and loaded with:'],
	'mv.create.intro': ['Khai báo phong trào bằng YAML (mã, thời gian, phạm vi, tiêu chí, trọng số, cách chấm). Lưu với mã đã có sẽ thành phiên bản mới của phong trào đó.', 'Declare the movement in YAML (code, dates, scope, criteria, weights, scoring). Saving under an existing code makes a new version of it.'],
	'mv.create.yaml': ['Phong trào (YAML)', 'Movement (YAML)'],
	'mv.create.new': ['Phong trào mới (mẫu)', 'New movement (template)'],
	'mv.create.field': ['Trường', 'Field'],
	'mv.suggest': ['Đợt thi đua đột kích gợi ý từ nhiệm vụ có nguy cơ', 'Raid campaigns suggested from tasks at risk'],
	'mv.none': ['Chưa có phong trào nào có chỉ tiêu.', 'No movement has targets yet.'],

	'council.title': ['Hội đồng Thi đua – Khen thưởng', 'Emulation and Commendation Council'],
	'council.decided': ['Khen thưởng đã quyết định', 'Decided awards'],
	'council.decision': ['Quyết định', 'Decision'],
	'council.doc.decision': ['Tải quyết định (PDF)', 'Download the decision (PDF)'],
	'council.doc.certificates': ['Tải giấy khen (PDF)', 'Download the certificates (PDF)'],
	'council.doc.list': ['Tải danh sách (XLSX)', 'Download the list (XLSX)'],
	'council.propose': ['Lập tờ trình cho {0} người đủ điều kiện', 'Draft a proposal for the {0} eligible'],
	'council.noapi': ['Máy chủ chưa có API tờ trình.', 'The server has no proposals API yet.'],
	'council.role': ['Tờ trình chỉ dành cho quản trị và hội đồng.', 'Proposals are for administrators and the council.'],
	'council.proposals.title': ['Tờ trình đề nghị khen thưởng', 'Proposals'],
	'council.state': ['Trạng thái', 'State'],
	'council.proposal': ['Tờ trình số {0}: {1} năm {2}', 'Proposal {0}: {1}, {2}'],
	'council.ballot': ['Bỏ phiếu kín', 'Secret ballot'],
	'council.ballot.save': ['Ghi kết quả bỏ phiếu', 'Record the count'],
	'council.members': ['Số thành viên hội đồng', 'Council members'],
	'council.yes': ['Số phiếu đồng ý', 'Votes in favour'],
	'council.submit': ['Trình hội đồng', 'Submit to the council'],
	'council.review': ['Thẩm định xong', 'Mark reviewed'],
	'council.return': ['Trả lại', 'Return'],
	'council.reason': ['Lý do trả lại', 'Reason for returning'],
	'council.number': ['Số quyết định', 'Decision number'],
	'council.signer': ['Người ký', 'Signed by'],
	'council.decide': ['Ra quyết định', 'Decide'],
	'dash.pending': ['Tờ trình đang chờ xử lý', 'Proposals pending'],
	'dash.pending.none': ['Không có tờ trình nào đang chờ.', 'No proposal is pending.'],
	'pstate.draft': ['Dự thảo', 'Draft'],
	'pstate.submitted': ['Đã trình', 'Submitted'],
	'pstate.reviewed': ['Đã thẩm định', 'Reviewed'],
	'pstate.returned': ['Bị trả lại', 'Returned'],
	'pstate.decided': ['Đã quyết định', 'Decided'],
	'council.award': ['Danh hiệu', 'Award'],
	'council.why': ['Vì sao', 'Why'],
	'council.more': ['Xem tất cả {0} người trên trang Hội đồng', 'See all {0} on the Council page'],
	'dash.cstdcs': ['Đủ điều kiện Chiến sĩ thi đua cơ sở năm {0}', 'Eligible for Grassroots Emulation Fighter in {0}'],
	'dash.cstdcs.count': ['{0} người đủ điều kiện, {1} tạm dừng xét (kỷ luật đang xem xét), {2} chưa đủ.', '{0} eligible, {1} held (open discipline case), {2} not eligible.'],
	'council.pick': ['Danh hiệu', 'Award'],

	'field.subject': ['Đơn vị hoặc người (mã)', 'Unit or person (code)'],
	'field.metric': ['Chỉ số', 'Metric'],
	'field.date': ['Ngày', 'Date'],
	'field.value': ['Giá trị', 'Value'],
	'field.task': ['Nhiệm vụ (mã)', 'Task (code)'],
	'field.quantity': ['Số lượng làm được', 'Quantity done'],
	'field.year': ['Năm', 'Year'],
	'field.rating': ['Xếp loại', 'Rating'],
	'field.code': ['Mã', 'Code'],
	'field.kind': ['Loại', 'Kind'],
	'field.title': ['Tên sáng kiến, đề tài', 'Title'],
	'field.level': ['Cấp công nhận', 'Recognition level'],
	'field.authors': ['Tác giả (mã người, cách nhau bởi ;)', 'Authors (person codes joined by ;)'],
	'field.benefit': ['Giá trị làm lợi (đồng)', 'Benefit (VND)'],
	'field.unit': ['Đơn vị (mã)', 'Unit (code)'],
	'field.severity': ['Mức độ', 'Severity'],
	'field.description': ['Mô tả', 'Description'],
	'field.movement': ['Phong trào (mã)', 'Movement (code)'],
	'field.criterion': ['Tiêu chí (mã)', 'Criterion (code)'],
	'field.target': ['Chỉ tiêu', 'Target'],

	'kind.records': ['Kết quả đo', 'Records'],
	'kind.progress': ['Tiến độ nhiệm vụ', 'Task progress'],
	'kind.ratings': ['Xếp loại', 'Ratings'],
	'kind.innovations': ['Sáng kiến, đề tài', 'Innovations'],
	'kind.incidents': ['Sự cố an toàn', 'Incidents'],
	'kind.units': ['Đơn vị', 'Units'],
	'kind.people': ['Cá nhân', 'People'],
	'kind.awards': ['Khen thưởng', 'Awards'],
	'kind.discipline': ['Kỷ luật', 'Discipline'],
	'kind.targets': ['Chỉ tiêu', 'Targets'],
	'kind.pledges': ['Đăng ký thi đua', 'Pledges'],
	'kind.tasks': ['Nhiệm vụ trọng tâm', 'Key tasks'],
	'kind.task-links': ['Liên kết nhiệm vụ', 'Task links'],
	'kind.indicators': ['Chỉ tiêu SXKD', 'Business indicators'],

	'rating.HTXSNV': ['Hoàn thành xuất sắc nhiệm vụ', 'Excellent'],
	'rating.HTTNV': ['Hoàn thành tốt nhiệm vụ', 'Good'],
	'rating.HTNV': ['Hoàn thành nhiệm vụ', 'Done'],
	'rating.KHTNV': ['Không hoàn thành nhiệm vụ', 'Not done'],

	'category.officer': ['Sĩ quan', 'Officer'],
	'category.professional_soldier': ['Quân nhân chuyên nghiệp', 'Professional soldier'],
	'category.soldier': ['Hạ sĩ quan, binh sĩ', 'Soldier'],
	'category.defence_worker': ['Công nhân và viên chức quốc phòng', 'Defence worker'],
	'category.employee': ['Người lao động hợp đồng', 'Contract employee'],

	'ukind.enterprise': ['Doanh nghiệp', 'Enterprise'],
	'ukind.workshop': ['Phân xưởng', 'Workshop'],
	'ukind.department': ['Phòng, ban', 'Department'],
	'ukind.team': ['Tổ, đội', 'Team'],
	'ukind.union': ['Đoàn thể', 'Union'],
	'ukind.other': ['Khác', 'Other'],

	'ikind.initiative': ['Sáng kiến', 'Initiative'],
	'ikind.research': ['Đề tài khoa học', 'Research project'],
	'ikind.mechanisation': ['Cơ khí hóa, tự động hóa', 'Mechanisation'],
	'level.base': ['Cơ sở', 'Base'],
	'level.ministry': ['Bộ, ngành', 'Ministry'],
	'level.national': ['Toàn quốc', 'National'],
	'severity.minor': ['Nhẹ', 'Minor'],
	'severity.serious': ['Nghiêm trọng', 'Serious'],
	'form.pending': ['Đang xem xét', 'Pending'],
	'form.reprimand': ['Khiển trách', 'Reprimand'],
	'form.warning': ['Cảnh cáo', 'Warning'],
	'form.demotion': ['Giáng chức', 'Demotion'],
	'form.dismissal': ['Cách chức, buộc thôi việc', 'Dismissal'],

	'award.LDTT': ['Lao động tiên tiến', 'Advanced Worker'],
	'award.CSTT': ['Chiến sĩ tiên tiến', 'Advanced Soldier'],
	'award.CSTDCS': ['Chiến sĩ thi đua cơ sở', 'Grassroots Emulation Fighter'],
	'award.CSTDTQ': ['Chiến sĩ thi đua toàn quân', 'Army Emulation Fighter'],
	'award.CSTDTQG': ['Chiến sĩ thi đua toàn quốc', 'National Emulation Fighter'],
	'award.TTLDTT': ['Tập thể lao động tiên tiến', 'Advanced Labour Collective'],
	'award.DVTT': ['Đơn vị tiên tiến', 'Advanced Unit'],
	'award.TTLDXS': ['Tập thể lao động xuất sắc', 'Excellent Labour Collective'],
	'award.DVQT': ['Đơn vị quyết thắng', 'Determined-to-Win Unit'],
	'award.CTDTC': ['Cờ thi đua', 'Emulation Flag'],
	'award.GK': ['Giấy khen', 'Certificate of Merit'],
	'award.BKBQP': ['Bằng khen Bộ trưởng Bộ Quốc phòng', 'Minister of Defence Certificate'],
	'award.BKTTG': ['Bằng khen Thủ tướng Chính phủ', 'Prime Minister Certificate'],
	'award.HCLD3': ['Huân chương Lao động hạng Ba', 'Labour Order, Third Class'],
	'award.HCBVTQ3': ['Huân chương Bảo vệ Tổ quốc hạng Ba', 'Fatherland Defence Order, Third Class'],
	'award.HCQKQT': ['Huy chương Quân kỳ quyết thắng', 'Determined-to-Win Army Flag Medal'],
	'award.HCCSVV3': ['Huy chương Chiến sĩ vẻ vang hạng Ba', 'Glorious Fighter Medal, Third Class'],
	'award.HCCSVV2': ['Huy chương Chiến sĩ vẻ vang hạng Nhì', 'Glorious Fighter Medal, Second Class'],
	'award.HCCSVV1': ['Huy chương Chiến sĩ vẻ vang hạng Nhất', 'Glorious Fighter Medal, First Class'],

	'indicator.production_value': ['Giá trị sản xuất', 'Production value'],
	'indicator.turnover': ['Doanh thu', 'Turnover'],
	'indicator.added_value': ['Giá trị gia tăng', 'Added value'],
	'indicator.budget_payment': ['Nộp ngân sách', 'State-budget payment'],
	'indicator.average_income': ['Thu nhập bình quân', 'Average income'],
	'indicator.export_value': ['Giá trị xuất khẩu', 'Export value'],
};

const KEY = 'thidua.lang';
let current = (() => {
	try {
		const v = localStorage.getItem(KEY);
		return v === 'en' ? 'en' : 'vi';
	} catch {
		return 'vi';
	}
})();

export function lang() {
	return current;
}

export function setLang(l) {
	current = l === 'en' ? 'en' : 'vi';
	try {
		localStorage.setItem(KEY, current);
	} catch { /* private mode: the choice lasts this page only */ }
	document.documentElement.lang = current;
}

// t('key', a, b): the label with {0}, {1} replaced; the key itself when missing.
export function t(key, ...args) {
	const e = T[key];
	let s = e ? e[current === 'en' ? 1 : 0] : key;
	args.forEach((a, i) => { s = s.replace(`{${i}}`, String(a)); });
	return s;
}

// label('status', 'at_risk'): a code's label, or the code when unknown.
export function label(prefix, code) {
	const k = `${prefix}.${code}`;
	return T[k] ? t(k) : String(code ?? '');
}

export function has(key) {
	return key in T;
}

// Numbers and dates in the current language's convention.
export function num(v, digits = 0) {
	if (v === null || v === undefined || v === '') return '–';
	return Number(v).toLocaleString(current === 'en' ? 'en-GB' : 'vi-VN',
		{ maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function date(iso) {
	if (!iso) return '–';
	const [y, m, d] = String(iso).split('-');
	return current === 'en' ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
}
