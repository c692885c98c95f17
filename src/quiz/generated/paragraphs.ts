/**
 * A small fixed set of paragraphs, each written in Chinese and in English (the same content),
 * for the /tokens and /chunk questions. Fixed, so a question id (`gen:tokens:p3.zh.o200k`)
 * always means the same text. Never edit a shipped paragraph: add a new one at the end.
 */
import type { Lang } from '../../knowledge/text.js';

export const PARAGRAPHS: readonly Record<Lang, string>[] = [
  {
    zh: '大语言模型并不直接读文字，而是先用分词器把文本切成词元。同样一句话，英文往往比中文用的词元更少，因为常见的英文单词在词表里只占一个词元。',
    en: 'A large language model does not read text directly: a tokenizer first cuts the text into tokens. The same sentence often takes fewer tokens in English than in Chinese, because common English words are a single token in the vocabulary.',
  },
  {
    zh: '上下文窗口按词元计算，而不是按字数。一个 8k 的窗口能放下多少内容，取决于文本的语言和所用的分词器，所以估算成本时应当先数一数词元。',
    en: 'A context window is measured in tokens, not in words. How much text fits in an 8k window depends on the language of the text and on the tokenizer, so count the tokens before you estimate the cost.',
  },
  {
    zh: '全参数微调时，除了权重本身，还要为梯度和优化器状态留出显存。混合精度的 AdamW 每个参数大约需要 16 字节，这还不包括激活。',
    en: 'Full fine-tuning needs memory for the gradients and the optimizer states as well as for the weights. Mixed-precision AdamW takes about 16 bytes per parameter, before any activations.',
  },
  {
    zh: '处理长文档时，常见的做法是把文本切成有重叠的块。重叠让跨越边界的事实至少完整地出现在一个块里，但块越多，检索和生成的成本也越高。',
    en: 'A common way to handle a long document is to split it into overlapping chunks. The overlap keeps a fact that straddles a boundary whole in at least one chunk, but more chunks also mean more retrieval and generation cost.',
  },
  {
    zh: '在推理时，模型会为每个已生成的词元保存键和值，这就是 KV cache。序列越长、批量越大，它占的显存就越多；分组查询注意力可以把它缩小好几倍。',
    en: 'During inference the model keeps the keys and values of every token it has seen: the KV cache. The longer the sequences and the larger the batch, the more memory it takes; grouped-query attention can shrink it several times.',
  },
  {
    zh: '指令微调用的是人工整理的问答对，而不是随意抓取的网页。数据的质量和多样性往往比数量更重要，几千条干净的样本就能明显改变模型的行为。',
    en: 'Instruction tuning uses curated question-and-answer pairs, not whatever pages a crawler found. Quality and variety of the data often matter more than quantity: a few thousand clean examples can change how a model behaves.',
  },
  {
    zh: '继续预训练可以让模型学会一个新领域的词汇和知识，但如果只喂新数据，它可能会忘掉原来的能力。把一部分通用数据混进去，是减轻遗忘的简单办法。',
    en: 'Continued pretraining can teach a model the vocabulary and knowledge of a new domain, but fed only new data it may forget what it could do before. Mixing in some general data is a simple way to reduce that forgetting.',
  },
  {
    zh: '自注意力让每个词元都和其他所有词元计算一次分数，所以输入长度翻倍，注意力的计算量大约变成四倍。这就是长文本既慢又贵的原因之一。',
    en: 'Self-attention scores every token against every other token, so doubling the input roughly quadruples the attention work. That is one reason why long inputs are both slow and expensive.',
  },
];
