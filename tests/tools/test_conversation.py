"""Tool turns through POST /v1/chat: search, follow-ups, booking with confirmation, cancellation, privacy."""

import uuid

from tests.conftest import open_session


def chat(client, message, session):
    response = client.post("/v1/chat", json={"message": message, "session_id": session})
    assert response.status_code == 200, response.text
    return response.json()


def test_search_offers_by_meaning_then_refine_by_city(client):
    session = open_session(client)
    first = chat(client, "Is there an apprenticeship in ship welding?", session)
    call = first["tool_calls"][0]
    assert call["name"] == "search_training_offers"
    assert call["arguments"]["kind"] == "apprenticeship" and call["arguments"]["query"] == "ship welding"
    assert call["result"]["total"] >= 1 and "weld" in call["result"]["items"][0]["title"].lower()
    assert first["answer"].startswith("Found") and "Narrow down" in first["answer"]
    second = chat(client, "only the ones in Nantong", session)
    arguments = second["tool_calls"][0]["arguments"]
    assert arguments["region"] == "Nantong" and arguments["query"] == "ship welding"
    assert {i["region"] for i in second["tool_calls"][0]["result"]["items"]} == {"Nantong"}


def test_chinese_search_and_follow_up(client):
    session = open_session(client)
    first = chat(client, "有没有南通的实习机会？", session)
    arguments = first["tool_calls"][0]["arguments"]
    assert arguments == {"kind": "internship", "region": "Nantong", "limit": 5}
    assert first["answer"].startswith("找到")
    second = chat(client, "只看新能源的", session)
    assert second["tool_calls"][0]["arguments"]["field"] == "new energy"


def test_platform_search_and_patents(client):
    body = chat(client, "Are there any patents on port cranes open for licensing?", open_session(client))
    call = body["tool_calls"][0]
    assert call["name"] == "search_platforms" and call["arguments"]["kind"] == "patent"
    assert all(item["kind"] == "patent" for item in call["result"]["items"])


def test_knowledge_questions_are_not_routed_to_tools(client):
    body = chat(client, "What does the paper say about modern apprenticeship?", open_session(client))
    assert body["tool_calls"] == [] and body["citations"]


def test_booking_asks_for_details_then_confirmation_then_books(client, kb_container):
    session = open_session(client)
    listed = chat(client, "I need to talk to an expert about patent licensing", session)
    slots = listed["tool_calls"][0]["result"]["items"]
    assert "patent licensing" in slots[0]["topics"]
    asked = chat(client, "book the second one", session)
    assert asked["pending_action"] is None and "what name and contact" in asked["answer"]
    phone = f"139{uuid.uuid4().int % 10**8:08d}"  # a contact no other test books with
    proposed = chat(client, f"Li Hua, {phone}", session)
    pending = proposed["pending_action"]
    assert pending["kind"] == "booking" and slots[1]["expert"] in pending["summary"]
    assert proposed["tool_calls"][0]["arguments"] == {
        "slot_id": slots[1]["id"],
        "name": "Li Hua",
        "contact": phone,
    }
    done = chat(client, "yes", session)
    assert done["action_result"]["status"] == "confirmed"
    reference, code = done["action_result"]["booking_ref"], done["action_result"]["cancellation_code"]
    assert f"your cancellation code is {code}" in done["answer"]
    # The same token confirmed over the API is idempotent, cancellation code included.
    again = client.post(f"/v1/actions/{pending['token']}/confirm")
    assert again.status_code == 200 and again.json()["booking_ref"] == reference
    assert again.json()["cancellation_code"] == code
    mine = chat(client, "show my bookings", session)
    assert mine["tool_calls"][0]["arguments"] == {}
    assert [b["booking_ref"] for b in mine["tool_calls"][0]["result"]["items"]] == [reference]
    asked_code = chat(client, "cancel it", session)
    assert asked_code["pending_action"] is None and "cancellation code" in asked_code["answer"]
    cancel = chat(client, f"code {code}", session)
    assert cancel["pending_action"]["kind"] == "cancellation"
    cancelled = chat(client, "yes", session)
    assert cancelled["action_result"]["status"] == "cancelled"


def test_saying_no_drops_the_proposal(client):
    session = open_session(client)
    chat(client, "I am Wang Fang, wf@example.cn", session)
    chat(client, "When can I meet an expert on internship insurance?", session)
    proposed = chat(client, "book the first one", session)
    assert proposed["pending_action"] is not None
    dropped = chat(client, "no", session)
    assert "have not done it" in dropped["answer"]
    assert client.post(f"/v1/actions/{proposed['pending_action']['token']}/confirm").status_code == 409


def test_another_user_never_sees_my_bookings_or_contact(client):
    mine, theirs = open_session(client), open_session(client)
    chat(client, "My name is Zhao Lei, 13700007777", mine)
    chat(client, "Any consultation slots about enterprise certification?", mine)
    chat(client, "book the first one", mine)
    done = chat(client, "yes", mine)
    assert done["action_result"]["status"] == "confirmed"
    listed = chat(client, "Any consultation slots about enterprise certification?", theirs)
    assert "13700007777" not in str(listed) and "Zhao Lei" not in str(listed)
    # Typing my contact in another session shows nothing: bookings are listed by the session they were made in.
    chat(client, "I'm Zhao Lei, 13700007777", theirs)
    asked = chat(client, "show my bookings", theirs)
    assert asked["tool_calls"][0]["result"]["total"] == 0 and "cancellation code" in asked["answer"]
    assert done["action_result"]["booking_ref"] not in str(asked)
    ref, code = done["action_result"]["booking_ref"], done["action_result"]["cancellation_code"]
    cancel_in_mine = chat(client, f"cancel {ref} code {code}", mine)
    client.post(f"/v1/actions/{cancel_in_mine['pending_action']['token']}/confirm")


def test_a_booking_made_elsewhere_is_cancelled_with_its_code_and_only_with_it(client, kb_container):
    booked_in, elsewhere = open_session(client), open_session(client)
    chat(client, "I'm Sun Li, sun.li@example.cn", booked_in)
    chat(client, "Any consultation slots about internship insurance?", booked_in)
    chat(client, "book the last one", booked_in)
    done = chat(client, "yes", booked_in)["action_result"]
    reference, code = done["booking_ref"], done["cancellation_code"]
    chat(client, "I'm Sun Li, sun.li@example.cn", elsewhere)
    refused = chat(client, f"cancel {reference}", elsewhere)
    assert refused["pending_action"] is None
    assert "cancellation code" in refused["answer"]
    assert chat(client, "yes", elsewhere)["action_result"] is None
    wrong = chat(client, f"cancel {reference} code ABCD-EFGH-JKLM", elsewhere)
    assert wrong["pending_action"] is None and "no active booking" in wrong["answer"]
    # A reference that does not exist gets the very same answer as a wrong code: nothing to probe.
    unknown = chat(client, "cancel BK-0000000000000000 code ABCD-EFGH-JKLM", elsewhere)
    assert unknown["answer"].replace("BK-0000000000000000", reference) == wrong["answer"]
    proposed = chat(client, f"please cancel {reference}, cancellation code {code.lower()}", elsewhere)
    assert proposed["tool_calls"][0]["arguments"] == {"booking_ref": reference, "cancellation_code": code}
    assert proposed["pending_action"]["kind"] == "cancellation"
    assert chat(client, "yes", elsewhere)["action_result"]["status"] == "cancelled"
    assert kb_container.records.bookings_in(booked_in) == []


def test_booking_a_non_slot_points_to_the_contact(client):
    session = open_session(client)
    chat(client, "Are there any training bases for port machinery?", session)
    body = chat(client, "book the first one", session)
    assert body["pending_action"] is None and "Only consultation slots can be booked" in body["answer"]


def test_confirm_endpoint_answers_409_when_the_slot_was_taken_and_404_for_unknown_tokens(client):
    a, b = open_session(client), open_session(client)
    for session, who in ((a, "Amy, amy@example.cn"), (b, "Bob, bob@example.cn")):
        chat(client, who, session)
        chat(client, "Any consultation slots about benefit distribution?", session)
    token_a = chat(client, "book the first one", a)["pending_action"]["token"]
    token_b = chat(client, "book the first one", b)["pending_action"]["token"]
    assert client.post(f"/v1/actions/{token_a}/confirm").status_code == 200
    taken = client.post(f"/v1/actions/{token_b}/confirm")
    assert taken.status_code == 409 and "already been taken" in taken.json()["error"]
    assert client.post("/v1/actions/nope/confirm").status_code == 404


def _slot_with_expert_having_several(client, session):
    listed = chat(client, "list consultation slots about ship welding", session)
    return listed["tool_calls"][0]["result"]["items"]


def test_a_booking_that_names_the_expert_day_and_hour_proposes_that_slot(client):
    from datetime import datetime

    from assistant.records.queries import LOCAL_TZ

    session = open_session(client)
    slot = _slot_with_expert_having_several(client, session)[0]
    start = datetime.fromisoformat(slot["start"]).astimezone(LOCAL_TZ)
    when = f"{start.day} {start:%B %Y} at {start:%H:%M}"  # "5 January 2027 at 10:00", as people write it
    other = open_session(client)
    asked = chat(client, f"Please book {slot['expert']} on {when}", other)
    assert asked["pending_action"] is None and "what name and contact" in asked["answer"]
    proposed = chat(client, f"I'm Ma Lin, ma.lin.{uuid.uuid4().hex[:6]}@example.cn", other)
    assert [c["name"] for c in proposed["tool_calls"]] == ["book_consultation"]
    assert proposed["tool_calls"][0]["arguments"]["slot_id"] == slot["id"]
    assert chat(client, "确认预约", other)["action_result"]["status"] == "confirmed"


def test_choosing_from_the_slots_listed_for_a_booking(client):
    session = open_session(client)
    first = chat(client, "I'd like to book a consultation about ship welding", session)
    listed = first["tool_calls"][0]["result"]["items"]
    assert first["pending_action"] is None and len(listed) > 1
    which = chat(client, "book it", session)  # several listed: which one is asked, none is guessed
    assert which["pending_action"] is None and "Which of the" in which["answer"]
    picked = chat(client, "the earliest onsite one", session)
    onsite = picked["tool_calls"][0]["result"]["items"]
    assert all(s["mode"] == "onsite" for s in onsite)
    assert "what name and contact" in picked["answer"] and onsite[0]["expert"] in picked["answer"]


def test_concurrent_turns_of_one_session_lose_nothing(client):
    from concurrent.futures import ThreadPoolExecutor

    session = open_session(client)
    slot = chat(client, "list consultation slots about ship welding", open_session(client))["tool_calls"][0]
    slot_id = slot["result"]["items"][0]["id"]
    email = f"zhou.min.{uuid.uuid4().hex[:6]}@example.cn"
    messages = ["My name is Zhou Min", f"my email is {email}", "apprenticeships in Nantong", "internships in Wuxi"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(r["answer"] for r in pool.map(lambda m: chat(client, m, session), messages))
    proposed = chat(client, f"book {slot_id}", session)  # name and contact were both kept
    assert proposed["tool_calls"][0]["arguments"] == {"slot_id": slot_id, "name": "Zhou Min", "contact": email}


def test_a_chinese_booking_is_confirmed_and_refused_in_chinese(client):
    session = open_session(client)
    slot = chat(client, "list consultation slots about ship welding", open_session(client))["tool_calls"][0]
    slot_id = slot["result"]["items"][0]["id"]
    phone = f"137{uuid.uuid4().int % 10**8:08d}"
    chat(client, f"帮我预约 {slot_id}，我叫周敏，电话{phone}", session)
    done = chat(client, "确认", session)
    assert done["action_result"]["status"] == "confirmed"
    assert (
        done["answer"].startswith("已完成：已预约") and "取消码" in done["answer"] and "is booked" not in done["answer"]
    )
    again = chat(client, f"帮我预约 {slot_id}，我叫周敏，电话{phone}", open_session(client))
    assert again["answer"].startswith("抱歉，无法完成：时段") and "no longer available" not in again["answer"]
    wrong = chat(client, "取消预约 BK-0123456789ABCDEF，取消码 ABCD-EFGH-JKLM", open_session(client))
    assert "没有编号为 BK-0123456789ABCDEF" in wrong["answer"], wrong["answer"]


def test_a_message_read_between_the_documents_and_a_search_gets_both(client):
    session = open_session(client)
    both = chat(client, "tell me about order-based classes", session)
    assert both["citations"] and both["tool_calls"][0]["name"] == "search_training_offers"
    answer, records = both["answer"].split("You may also have meant the records:")
    assert "[1]" in answer and "order-based class" in records
    more = chat(client, "more", session)  # the records shown are the list a follow-up pages
    assert more["tool_calls"][0]["arguments"]["offset"] == 5


def test_asking_what_the_assistant_does_is_answered_from_its_own_page(client):
    session = open_session(client)
    for message, says in (
        ("你好，你都能做些什么呢？", "本助手为学生、企业、教师和管理人员提供"),
        ("hey there - what sort of things can you do?", "This assistant helps students, enterprises, teachers"),
    ):
        answer = chat(client, message, session)
        assert not answer["refused"] and not answer["tool_calls"]
        assert {c["doc_id"] for c in answer["citations"]} == {"about-assistant"}
        assert says in answer["answer"]


def test_nothing_in_the_dates_asked_for_shows_other_dates_and_says_so(client):
    session = open_session(client)
    reply = chat(client, "any consultation slots on patent licensing in March 2031?", session)
    first, second = reply["tool_calls"]
    assert first["result"]["total"] == 0 and "date_from" in first["arguments"]
    assert second["result"]["total"] > 0 and "date_from" not in second["arguments"]
    assert reply["answer"].startswith("No open consultation slots match") and "Open at other dates:" in reply["answer"]
    booked = chat(client, "book the first one", session)  # the list shown is the one picked from
    assert second["result"]["items"][0]["expert"] in booked["answer"]


def test_picking_one_of_the_slots_listed_is_choosing_the_one_to_book(client):
    session = open_session(client)
    listed = chat(client, "有哪些专利许可方面的专家咨询时段？", session)["tool_calls"][0]["result"]["items"]
    assert len(listed) > 1
    picked = chat(client, "第二个，线下的", session)
    onsite = picked["tool_calls"][0]["result"]["items"]
    assert all(s["mode"] == "onsite" for s in onsite) and "请告诉我您的姓名和联系方式" in picked["answer"]
    # The slot is named in Chinese in a Chinese conversation.
    assert onsite[1]["zh"]["expert"] in picked["answer"] and "Prof." not in picked["answer"]
