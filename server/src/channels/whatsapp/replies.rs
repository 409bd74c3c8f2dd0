//! What the bot says, in pt-BR, to messages it does not run through the dialogue.

/// The answer to a voice note when no transcriber is configured.
pub const VOICE_UNAVAILABLE: &str = "Recebi seu áudio! 🎧 Por enquanto não consigo ouvir \
     mensagens de voz por aqui. Pode me escrever o que precisa?";

/// The answer to a voice note that could not be downloaded, decoded or transcribed.
pub const VOICE_FAILED: &str = "Recebi seu áudio, mas não consegui entendê-lo 😕. Pode me \
     escrever sua mensagem, por favor?";

/// The answer to an image, document, location, sticker, video or contact card.
pub const UNSUPPORTED: &str = "Obrigada pela mensagem! Por aqui eu consigo entender textos \
     e as opções dos botões. Pode me escrever o que precisa?";
