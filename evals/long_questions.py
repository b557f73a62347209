"""Long questions as citizens write them: a story first, the actual question at the end (issue 14 #15).

Used by `policy-qa bench` (latency of 1,000/2,000/5,000-character questions) and by the tests that check a long
story keeps the short question's verdict and first citation. The story is background a real message carries
(family, work history, worries, dates) and states no fact that would change the answer to the question.
"""

from __future__ import annotations

STORY = (
    "您好，我想咨询一个问题，先把我的情况简单说一下，可能有点啰嗦，请多包涵。",
    "我老家在巴彦淖尔，2016年大学毕业以后就来到乌海工作，一开始在海勃湾区一家物流公司做仓库管理。",
    "那几年工作很辛苦，经常要上夜班，周末也很少休息，但是我一直觉得年轻人多吃点苦没有坏处。",
    "后来家里人劝我找一份更稳定的工作，我就利用业余时间自学，报了好几个培训班，花了不少钱。",
    "我爱人是乌达区的，她在一所小学当老师，我们两个人的工资加起来，在乌海生活还算过得去。",
    "孩子今年上幼儿园大班了，明年就要上小学，我们一直在考虑学区的事情，也看了几套房子。",
    "我父母年纪大了，身体不太好，母亲前年做过一次手术，所以我每个月都要回老家看看他们。",
    "单位里的同事都很照顾我，领导也鼓励我多学习、多考证，说以后评先进、提岗位都用得上。",
    "我平时喜欢看一些政策解读的文章，但是很多文件写得比较专业，有些地方我看不太明白。",
    "前段时间听朋友说乌海出台了一批人才政策，汇编成了一本册子，里面的内容很多，我翻了几遍也没找到头绪。",
    "我也打过几次电话咨询，有时候占线，有时候对方说要问问别的科室，所以想在这里先了解一下。",
    "去年冬天特别冷，单位的暖气坏了好几天，我们在办公室里穿着棉袄上班，那段时间印象很深。",
    "我还参加过单位组织的志愿服务活动，去社区帮老人打扫卫生、讲解防诈骗知识，觉得挺有意义。",
    "说实话，我对未来的规划还不是特别清楚，只是希望能在乌海安心工作，把日子过好。",
)

QUESTIONS = (  # short questions whose long versions must keep the verdict and the first citation
    "技能大赛金奖奖金多少？",
    "特设岗位上的人聘期一般是几年？能不能延长？",
    "聘期考核不合格的人单位会怎么处理？",
    "企业新型学徒制培训补贴标准是多少？",
    "我是大专毕业的，已经工作满3年了。请问能认定助理级职称吗？",  # its facts sit before the asking sentence
)

LENGTHS = (1000, 2000, 5000)


def long_question(question: str, length: int) -> str:
    """`question` after a story, padded to about `length` characters (the question itself included)."""
    if length <= len(question):
        return question
    story: list[str] = []
    size, i = 0, 0
    budget = length - len(question)
    while size < budget:
        sentence = STORY[i % len(STORY)]
        story.append(sentence)
        size += len(sentence)
        i += 1
    text = "".join(story)[:budget]
    if not text.endswith("。"):
        text = text[:-1] + "。"
    return text + question
