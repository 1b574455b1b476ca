"""Every string the app shows, in 中文 and English, and the language switch.

Pages call ``t("key", **values)``; nothing user-visible is written inline in a page. The language
comes from the sidebar switch, which starts at the browser's locale.
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "en"
_STATE_KEY = "lang"
_WIDGET_KEY = "lang_switch"

STRINGS: dict[str, dict[str, str]] = {
    # --- shell -----------------------------------------------------------------------------
    "app.title": {"zh": "深度伪造实验室", "en": "Deepfake Lab"},
    "upload.limit": {"zh": "（每个文件不超过 {mb} MB）", "en": " (up to {mb} MB a file)"},
    "home.title": {"zh": "深度伪造实验室 · Deepfake Lab", "en": "Deepfake Lab · 深度伪造实验室"},
    "nav.home": {"zh": "首页", "en": "Home"},
    "nav.generate": {"zh": "生成人脸", "en": "Generate faces"},
    "sidebar.notice": {
        "zh": "本应用生成的每张图片在下载时都带有“AI生成”标识。上传的图片只保存在内存中，不会写入磁盘。",
        "en": "Every image this app makes is labelled “AI生成 / AI-generated” when downloaded. "
        "Uploads stay in memory and are never written to disk.",
    },
    # --- home ------------------------------------------------------------------------------
    "home.lead": {
        "zh": "生成对抗网络（GAN）中，生成器 G 学习以假乱真，判别器 D 学习识破伪造。"
        "本实验室让你亲手走一遍这个循环：生成人脸、修改图像，再用判别器检测它们。",
        "en": "In a generative adversarial network (GAN) a generator G learns to fake and a "
        "discriminator D learns to catch the fakes. This lab lets you walk the loop yourself: "
        "generate faces, alter images, then detect them with a discriminator.",
    },
    "home.minimax": {
        "zh": "D 想让 V 变大（认出真实图像 x，拒绝生成图像 G(z)），G 想让 V 变小（骗过 D）。",
        "en": "D wants V large (accept real images x, reject generated ones G(z)); "
        "G wants V small (fool D).",
    },
    "home.loop": {"zh": "实验循环", "en": "The loop"},
    "home.step1": {"zh": "① 生成", "en": "① Generate"},
    "home.step1_text": {
        "zh": "用预训练的 DCGAN 从随机向量 z 生成人脸：同一个种子总是得到同一张脸。",
        "en": "A pretrained DCGAN turns a random vector z into a face: the same seed always "
        "gives the same face.",
    },
    "home.step2": {"zh": "② 修改", "en": "② Alter"},
    "home.step2_text": {
        "zh": "图像修复（inpainting）和换脸：把真实照片的一部分换成生成的像素。",
        "en": "Inpainting and face swapping: replace part of a real photo with generated pixels.",
    },
    "home.step3": {"zh": "③ 检测", "en": "③ Detect"},
    "home.step3_text": {
        "zh": "基于判别器的检测器判断图片是真是假，并指出可疑区域和理由。",
        "en": "A discriminator-based detector judges whether an image is real or synthetic, "
        "and shows where and why.",
    },
    "home.step4": {"zh": "④ 衡量", "en": "④ Measure"},
    "home.step4_text": {
        "zh": "检测器有多准？ROC 曲线、校准图，以及为什么 GAN 自己的判别器不能当检测器。",
        "en": "How good is the detector? ROC curves, calibration, and why a GAN's own discriminator is no detector.",
    },
    "home.open": {"zh": "打开", "en": "Open"},
    "home.not_yet": {"zh": "此页面尚在开发中。", "en": "This page is not built yet."},
    "home.rules_title": {"zh": "标识规则", "en": "Labelling rules"},
    "home.rules": {
        "zh": "根据《人工智能生成合成内容标识办法》和国家标准 GB 45438-2025，AI 生成的图像必须带有标识。"
        "本应用导出的每张图片都在角落显示“AI生成 / AI-generated”。",
        "en": "China's Measures for Labelling AI-Generated Synthetic Content and the standard "
        "GB 45438-2025 require AI-generated images to be labelled. Every image this app exports "
        "shows “AI生成 / AI-generated” in a corner.",
    },
    "home.sample_caption": {
        "zh": "这些人脸都不存在：由 dcgan-digiface 生成（种子 0–7）。",
        "en": "None of these people exist: made by dcgan-digiface (seeds 0–7).",
    },
    # --- generate --------------------------------------------------------------------------
    "gen.title": {"zh": "生成人脸", "en": "Generate faces"},
    "gen.intro": {
        "zh": "每张脸由一个种子决定：种子 → 随机向量 z → 生成器 G → 64×64 图像。"
        "点“固定”保留喜欢的脸，再在两张固定的脸之间做插值。",
        "en": "Each face comes from one seed: seed → random vector z → generator G → 64×64 image. "
        "Pin faces you like, then morph between two pinned faces.",
    },
    "gen.generator": {"zh": "生成器", "en": "Generator"},
    "gen.generator_help": {
        "zh": "dcgan-digiface：在 DigiFace-1M 合成人脸上训练的 DCGAN；checkpoint：上传你自己的生成器。",
        "en": "dcgan-digiface: a DCGAN trained on DigiFace-1M synthetic faces; "
        "checkpoint: upload your own generator.",
    },
    "gen.checkpoint_upload": {"zh": "生成器文件", "en": "Generator file"},
    "gen.checkpoint_help": {
        "zh": "DCGAN 兼容的 state_dict（.pt/.pth/.tar）或 TorchScript 模块，输入 z 形状为 (N, nz, 1, 1)。"
        "文件中的代码不会被执行。",
        "en": "A DCGAN-compatible state_dict (.pt/.pth/.tar) or a TorchScript module taking z of "
        "shape (N, nz, 1, 1). No code in the file is executed.",
    },
    "gen.checkpoint_wait": {"zh": "请上传一个生成器文件。", "en": "Upload a generator file to start."},
    "gen.model_info": {
        "zh": "{name}：生成 {size}×{size} 像素，z 长度 {nz}",
        "en": "{name}: {size}×{size} px faces, z of length {nz}",
    },
    "gen.seed": {"zh": "起始种子", "en": "First seed"},
    "gen.seed_help": {
        "zh": "第 i 张脸使用种子 起始种子+i。相同种子总是得到相同的脸。",
        "en": "Face i uses seed first+i. The same seed always gives the same face.",
    },
    "gen.random_seed": {"zh": "随机", "en": "Random"},
    "gen.count": {"zh": "数量", "en": "Count"},
    "gen.temperature": {"zh": "温度", "en": "Temperature"},
    "gen.temperature_help": {
        "zh": "z 乘以温度。小于 1：更典型、更干净的脸；大于 1：更多变化，也更多瑕疵。",
        "en": "z is multiplied by the temperature. Below 1: more typical, cleaner faces; "
        "above 1: more variety and more artefacts.",
    },
    "gen.columns": {"zh": "每行列数", "en": "Columns"},
    "gen.display_method": {"zh": "放大方式（仅显示）", "en": "Upscaling (display only)"},
    "gen.display_note": {
        "zh": "生成器输出 {size}×{size} 像素；屏幕和下载中的放大只是把像素变大，不增加细节。"
        "“最近邻”显示真实像素块，“双三次”使其平滑。",
        "en": "The generator outputs {size}×{size} px; enlarging for screen and download only "
        "makes pixels bigger, it adds no detail. Nearest shows the true pixel blocks, bicubic "
        "smooths them.",
    },
    "gen.upscale.nearest": {"zh": "最近邻", "en": "nearest"},
    "gen.upscale.bicubic": {"zh": "双三次", "en": "bicubic"},
    "gen.face_caption": {"zh": "种子 {seed}", "en": "seed {seed}"},
    "gen.pin": {"zh": "固定", "en": "Pin"},
    "gen.unpin": {"zh": "已固定", "en": "Pinned"},
    "gen.pin_help": {"zh": "点击固定或取消固定这张脸", "en": "Click to pin or unpin this face"},
    "gen.pin_limit": {
        "zh": "最多固定 {n} 张脸，请先取消一张。",
        "en": "At most {n} faces can be pinned; unpin one first.",
    },
    "gen.pinned_title": {"zh": "已固定的脸", "en": "Pinned faces"},
    "gen.pinned_empty": {
        "zh": "还没有固定的脸：点击上方人脸下的“固定”。",
        "en": "No pinned faces yet: click Pin under a face above.",
    },
    "gen.download_face": {"zh": "下载", "en": "Download"},
    "gen.remove": {"zh": "移除", "en": "Remove"},
    "gen.interp_title": {"zh": "插值：从一张脸变到另一张", "en": "Interpolate: morph one face into another"},
    "gen.interp_need_two": {
        "zh": "固定至少两张脸后即可插值。",
        "en": "Pin at least two faces to interpolate between them.",
    },
    "gen.interp_from": {"zh": "起点", "en": "From"},
    "gen.interp_to": {"zh": "终点", "en": "To"},
    "gen.interp_steps": {"zh": "帧数", "en": "Frames"},
    "gen.interp_note": {
        "zh": "在潜空间中沿球面插值（slerp）：每一帧都是生成器真正输出的脸，而不是两张图片的叠加。",
        "en": "Spherical interpolation (slerp) in latent space: every frame is a face the "
        "generator really makes, not a cross-fade of two pictures.",
    },
    "gen.download_gif": {"zh": "下载动图（GIF）", "en": "Download animation (GIF)"},
    "gen.download_strip": {"zh": "下载插值条（PNG）", "en": "Download strip (PNG)"},
    "gen.downloads_title": {"zh": "下载", "en": "Download"},
    "gen.export_size": {"zh": "导出尺寸（像素）", "en": "Export size (px)"},
    "gen.export_note": {
        "zh": "导出时放大到所选尺寸，使“AI生成”标识清晰可读（标识高度至少为短边的 5%）。",
        "en": "Exports are enlarged to the chosen size so the “AI生成 / AI-generated” label is "
        "legible (label text at least 5% of the shorter side).",
    },
    "gen.no_label": {"zh": "不加可见标识导出（会被记录）", "en": "Export without the visible label (logged)"},
    "gen.no_label_help": {
        "zh": "《标识办法》第九条允许用户要求提供不含显式标识的内容，但须记录。元数据标识和隐形水印仍然保留。",
        "en": "Article 9 of the Measures allows content without the explicit label on the user's request, "
        "with a log. The metadata label and the invisible watermark remain.",
    },
    "gen.download_grid": {"zh": "下载网格（PNG）", "en": "Download grid (PNG)"},
    "gen.prepare_zip": {"zh": "打包 {n} 张为 ZIP", "en": "Make a ZIP of {n}"},
    "gen.preparing_zip": {"zh": "正在加标识并打包：{i} / {n}", "en": "Labelling and packing: {i} of {n}"},
    "gen.download_zip": {"zh": "下载全部（ZIP）", "en": "Download all (ZIP)"},
    # --- detect ----------------------------------------------------------------------------
    "nav.detect": {"zh": "检测真伪", "en": "Detect fakes"},
    "gen.send": {"zh": "送去修复/检测", "en": "Repair / detect"},
    "gen.send_help": {"zh": "把这张脸（按导出尺寸）放到“图像修复”和“检测真伪”页的选择列表里。",
                      "en": "Make this face (at the export size) available on the Repair and Detect pages."},
    "nav.inpaint": {"zh": "图像修复", "en": "Repair images"},
    "gallery.added": {"zh": "已加入本次会话的图片：{name}（可在“检测真伪”和“图像修复”页选用）",
                      "en": "Kept for this session: {name} (pick it on the Detect and Repair pages)"},
    # --- face swap -------------------------------------------------------------------------
    "nav.faceswap": {"zh": "换脸", "en": "Face swap"},
    "swap.title": {"zh": "换脸：把一个人的脸放到另一个人头上", "en": "Face swap: one person's face on another's head"},
    "swap.intro": {
        "zh": "经典换脸五步：找到人脸和 68 个关键点（dlib）；按关键点三角剖分，逐个三角形仿射变形；"
        "用关键点外轮廓做蒙版；把肤色调成目标的（LAB 颜色统计）；泊松融合。没有任何生成网络参与，"
        "却足以以假乱真——然后看检测器能否识破。",
        "en": "The classical swap in five steps: find the faces and 68 landmarks (dlib); triangulate the "
        "landmarks and warp the face triangle by triangle; mask the landmarks' outline; match the target's "
        "skin tone (LAB colour statistics); blend with Poisson editing. No generative network takes part, "
        "yet it can fool the eye. Then see whether the detector catches it.",
    },
    "swap.source_title": {"zh": "① 源：提供脸的人", "en": "① Source: whose face"},
    "swap.target_title": {"zh": "② 目标：接受脸的照片", "en": "② Target: the photo that receives it"},
    "swap.upload_source": {"zh": "源图片（JPEG、PNG、WebP、AVIF、GIF、BMP、TIFF）", "en": "Source image (JPEG, PNG, WebP, AVIF, GIF, BMP, TIFF)"},
    "swap.upload_target": {"zh": "目标图片（可以有多张脸）", "en": "Target image (may hold several faces)"},
    "swap.empty": {"zh": "请为源和目标各选一张图片。", "en": "Choose a source and a target image."},
    "swap.finding": {"zh": "正在寻找人脸和关键点……", "en": "Finding faces and landmarks…"},
    "swap.error.no_source_face": {"zh": "源图片中没有找到人脸。请换一张正面、清晰的人脸照片。",
                                  "en": "No face found in the source image. Try a clear, frontal face."},
    "swap.error.no_target_face": {"zh": "目标图片中没有找到人脸。请换一张有清晰人脸的照片。",
                                  "en": "No face found in the target image. Try a photo with a clear face."},
    "swap.error.bad_source_face": {"zh": "所选的源人脸不存在。", "en": "The chosen source face does not exist."},
    "swap.error.bad_target_face": {"zh": "所选的目标人脸不存在。", "en": "The chosen target face does not exist."},
    "swap.source_face": {"zh": "用哪张源人脸", "en": "Which source face"},
    "swap.target_face": {"zh": "替换哪张脸（编号见框）", "en": "Which face to replace (numbers on the boxes)"},
    "swap.face_n": {"zh": "第 {n} 张", "en": "face {n}"},
    "swap.all_faces": {"zh": "全部", "en": "all"},
    "swap.options_title": {"zh": "③ 融合方式", "en": "③ How to blend"},
    "swap.blend": {"zh": "融合", "en": "Blend"},
    "swap.blend.poisson": {"zh": "泊松融合", "en": "Poisson"},
    "swap.blend.mixed": {"zh": "泊松（混合梯度）", "en": "Poisson, mixed gradients"},
    "swap.blend.alpha": {"zh": "羽化叠加", "en": "Feathered alpha"},
    "swap.blend_help": {
        "zh": "泊松融合让新脸的梯度与目标的边界衔接，接缝消失；混合梯度保留两者中更强的纹理；羽化叠加只是按软蒙版混合像素。",
        "en": "Poisson blending keeps the new face's gradients and the target's boundary, so the seam "
        "disappears; mixed gradients keep whichever texture is stronger; feathered alpha just mixes pixels "
        "through a soft mask.",
    },
    "swap.colour": {"zh": "匹配肤色", "en": "Match skin tone"},
    "swap.colour_help": {"zh": "把新脸每个 LAB 通道的均值和方差调成目标脸的。",
                         "en": "Give the new face the mean and spread of the target face's LAB channels."},
    "swap.forehead": {"zh": "包括额头", "en": "Include the forehead"},
    "swap.forehead_help": {"zh": "关闭时只换眉毛到下巴的部分。",
                           "en": "Off: only the part from the brows to the chin is swapped."},
    "swap.feather": {"zh": "边缘柔化", "en": "Edge softness"},
    "swap.feather_help": {"zh": "蒙版软边的宽度，占脸宽的比例。", "en": "Width of the mask's soft edge, as a share of the face's width."},
    "swap.running": {"zh": "正在换脸……", "en": "Swapping…"},
    "swap.note.five_points": {"zh": "有一张脸太小或不清楚，无法标出 68 个关键点，只用五个点（眼、鼻、嘴角）对齐，效果会粗糙些。",
                              "en": "A face is too small or unclear for 68 landmarks: aligned on five points "
                              "(eyes, nose, mouth corners) instead, so the result is rougher."},
    "swap.note.small_face": {"zh": "有一张脸小于 40 像素，结果会很粗糙。", "en": "A face is smaller than 40 px: the result will be coarse."},
    "swap.note.extreme_pose": {"zh": "有一张脸明显侧转，换脸结果可能看起来不对。",
                               "en": "A face is turned far to one side: the swap may look wrong."},
    "swap.note.size_mismatch": {"zh": "两张脸大小相差 4 倍以上，较小的那张会被大幅放大，显得模糊。",
                                "en": "The two faces differ in size by more than 4x: the smaller one is enlarged a lot and looks blurred."},
    "swap.result_title": {"zh": "④ 结果", "en": "④ Result"},
    "swap.show_region": {"zh": "标出被替换的区域", "en": "Outline the swapped region"},
    "swap.before": {"zh": "换脸前", "en": "Before"},
    "swap.after": {"zh": "换脸后", "en": "After"},
    "swap.wipe": {"zh": "左右拖动对比", "en": "Drag to compare"},
    "swap.seconds": {"zh": "用时：变形 {warp} 秒，融合 {blend} 秒（人脸和关键点每张图只找一次）",
                     "en": "Time: warp {warp} s, blend {blend} s (faces and landmarks are found once per image)"},
    "swap.download": {"zh": "下载（带 AI 生成标识）", "en": "Download (labelled AI-generated)"},
    "swap.send": {"zh": "送去检测", "en": "Send to the detector"},
    "swap.catch_title": {"zh": "⑤ 检测器能识破吗？", "en": "⑤ Does the detector catch it?"},
    "swap.catch_intro": {
        "zh": "检测器看人脸有两个“头”：一个找生成网络留下的痕迹；另一个（融合头）找接缝——别处的像素与原图相接的地方。"
        "两张真实照片之间的换脸没有生成痕迹，只有变形和融合留下的接缝。融合头只从真实人脸学习：把一张脸和它自己稍加变化的副本、"
        "或和另一张训练人脸融合，或只重新填充脸上的一块；它从没见过本页做的换脸。",
        "en": "The detector looks at faces with two heads: one for the traces generators leave, the other (the blend "
        "head) for seams, where pixels from elsewhere meet the original. A swap between two real photos has no "
        "generator's trace, only the seams that warping and blending leave. The blend head learned from real faces "
        "alone, each blended with a slightly altered copy of itself or with another training face, or with one "
        "region refilled; it never saw this page's swaps.",
    },
    "swap.catch_run": {"zh": "让检测器判断换脸前后", "en": "Let the detector judge before and after"},
    "swap.catch_running": {"zh": "检测中……", "en": "Judging…"},
    "swap.catch_scores": {"zh": "{which}：伪造概率 {p:.0%}（{verdict}）", "en": "{which}: fake probability {p:.0%} ({verdict})"},
    "swap.catch_unknown": {"zh": "{which}：无法判断", "en": "{which}: cannot judge"},
    "swap.seam": {"zh": "融合头看到的接缝：两张脸被缝合的地方（白线：实际替换的区域）。",
                  "en": "The blend head's seam map: where two faces were stitched (white line: the region actually swapped)."},
    "swap.catch.fake": {"zh": "检测器认出了换脸后的图片。热力图显示它认为可疑的位置，白线是实际替换的区域。",
                        "en": "The detector flags the swapped image. The heatmap shows where it looks suspicious; "
                        "the white line is the region actually swapped."},
    "swap.catch.uncertain": {"zh": "检测器对换脸后的图片拿不准（概率落在两个阈值之间）。热力图显示它犹豫的位置，白线是实际替换的区域。",
                             "en": "The detector is unsure about the swapped image (its probability lies between "
                             "the two thresholds). The heatmap shows where it hesitates; the white line is the "
                             "region actually swapped."},
    "swap.catch.real": {"zh": "检测器在这次换脸中既没有发现生成痕迹，也没有发现足够明显的接缝。细心的融合可以把接缝藏得很好。"
                        "“未发现生成痕迹”不等于“是真的”。",
                        "en": "The detector finds neither a generator's traces nor a clear enough seam in this swap. "
                        "A careful blend can hide its seam well. “No traces found” does not mean “authentic”."},
    "swap.catch.unknown": {"zh": "检测器对换脸后的图片不下结论：图片太小，或几乎没有细节，像素里没有可判断的证据。",
                           "en": "The detector does not judge the swapped image: it is too small or has almost no "
                           "fine detail, so its pixels carry no evidence."},
    # --- GAN playground --------------------------------------------------------------------
    "nav.playground": {"zh": "GAN 游乐场", "en": "GAN playground"},
    "play.title": {"zh": "GAN 游乐场：看极小极大博弈如何展开", "en": "GAN playground: watch the minimax game play out"},
    "play.intro": {
        "zh": "一维的博弈，和论文里的图一样：黑点是真实分布 p_data，绿线是生成分布 p_g，蓝色点线是判别器 D(x)，"
        "虚线是此刻最优的判别器 D*(x) = p_data/(p_data+p_g)。下方的线把噪声 z 映射到 x = G(z)。"
        "先训练判别器 k 步（固定生成器），再训练生成器一步（固定判别器），交替进行。",
        "en": "The game in one dimension, drawn as in the paper: black dots are the real distribution p_data, "
        "the green line the generated one p_g, the dotted blue line the discriminator D(x), and the dashed "
        "line the best discriminator for the moment, D*(x) = p_data/(p_data+p_g). The lines below map noise "
        "z to x = G(z). Train the discriminator k steps (generator fixed), then the generator one step "
        "(discriminator fixed), in turn.",
    },
    "play.settings": {"zh": "数据与超参数", "en": "Data and hyperparameters"},
    "play.real": {"zh": "真实数据", "en": "Real data"},
    "play.real.gaussian": {"zh": "一个高斯分布", "en": "one Gaussian"},
    "play.real.mixture": {"zh": "两个高斯的混合", "en": "a mixture of two Gaussians"},
    "play.noise": {"zh": "噪声 z", "en": "Noise z"},
    "play.noise.uniform": {"zh": "均匀分布 U(−1, 1)", "en": "uniform U(−1, 1)"},
    "play.noise.gaussian": {"zh": "标准正态 N(0, 1)", "en": "standard normal N(0, 1)"},
    "play.loss": {"zh": "生成器的损失", "en": "Generator loss"},
    "play.loss.nonsaturating": {"zh": "非饱和：最大化 log D(G(z))", "en": "non-saturating: maximise log D(G(z))"},
    "play.loss.saturating": {"zh": "饱和：最小化 log(1 − D(G(z)))", "en": "saturating: minimise log(1 − D(G(z)))"},
    "play.loss_help": {
        "zh": "饱和损失就是博弈公式本身；判别器很强时 D(G(z)) ≈ 0，它的梯度几乎为零，生成器学不动。"
        "非饱和损失是论文建议的替代，目标相同，梯度更强。",
        "en": "The saturating loss is the game's formula itself; when D is strong, D(G(z)) ≈ 0 and its gradient "
        "nearly vanishes, so G stops learning. The non-saturating loss, suggested in the paper, has the same "
        "fixed point and stronger gradients.",
    },
    "play.k": {"zh": "每步生成器对应的判别器步数 k", "en": "D steps per G step (k)"},
    "play.k_help": {"zh": "算法 1 中的 k。", "en": "The k of Algorithm 1."},
    "play.lr_d": {"zh": "判别器学习率", "en": "Discriminator learning rate"},
    "play.lr_g": {"zh": "生成器学习率", "en": "Generator learning rate"},
    "play.batch": {"zh": "批大小 m", "en": "Batch size m"},
    "play.seed": {"zh": "随机种子", "en": "Seed"},
    "play.train_d": {"zh": "训练判别器（k = {k} 步）", "en": "Train D (k = {k})"},
    "play.train_g": {"zh": "训练生成器 1 步", "en": "Train G (1 step)"},
    "play.iterate": {"zh": "完整迭代一次", "en": "One full iteration"},
    "play.play": {"zh": "连续播放", "en": "Play"},
    "play.reset": {"zh": "重新开始", "en": "Reset"},
    "play.p_data": {"zh": "真实分布 p_data", "en": "real p_data"},
    "play.p_g": {"zh": "生成分布 p_g", "en": "generated p_g"},
    "play.d": {"zh": "判别器 D(x)", "en": "discriminator D(x)"},
    "play.d_star": {"zh": "最优判别器 D*(x)", "en": "optimal D*(x)"},
    "play.figure_caption": {"zh": "灰色点线是 D = 1/2；下方：z 轴上的点经生成器映射到 x 轴。",
                            "en": "The grey dotted line is D = 1/2; below: points of the z axis mapped by the generator onto the x axis."},
    "play.alg_title": {"zh": "算法 1（Goodfellow 等，2014）", "en": "Algorithm 1 (Goodfellow et al., 2014)"},
    "play.alg.loop": {"zh": "重复，直到训练结束：", "en": "for each training iteration:"},
    "play.alg.k": {"zh": "重复 k 步：", "en": "for k steps:"},
    "play.alg.d_sample": {"zh": "采样 m 个噪声 z 和 m 个真实样本 x", "en": "sample m noise samples z and m real samples x"},
    "play.alg.d_update": {"zh": "沿梯度上升更新判别器：$\\nabla \\frac{1}{m}\\sum [\\log D(x) + \\log(1-D(G(z)))]$",
                          "en": "update D by ascending $\\nabla \\frac{1}{m}\\sum [\\log D(x) + \\log(1-D(G(z)))]$"},
    "play.alg.g_sample": {"zh": "采样 m 个噪声 z", "en": "sample m noise samples z"},
    "play.alg.g_update": {"zh": "沿梯度下降更新生成器：$\\nabla \\frac{1}{m}\\sum \\log(1-D(G(z)))$",
                          "en": "update G by descending $\\nabla \\frac{1}{m}\\sum \\log(1-D(G(z)))$"},
    "play.player.D": {"zh": "判别器", "en": "discriminator"},
    "play.player.G": {"zh": "生成器", "en": "generator"},
    "play.step_numbers": {"zh": "刚才：{player}一步，平均 D(x) = {d_real}，平均 D(G(z)) = {d_fake}，损失 {loss}，梯度范数 {grad}",
                          "en": "Last step: {player}; mean D(x) = {d_real}, mean D(G(z)) = {d_fake}, loss {loss}, gradient norm {grad}"},
    "play.iterations": {"zh": "迭代次数", "en": "Iterations"},
    "play.js": {"zh": "JS 散度", "en": "JS divergence"},
    "play.js_help": {"zh": "p_data 与 p_g 的 Jensen-Shannon 散度（网格上计算）：0 表示相同，log 2 ≈ 0.693 表示完全不重叠。",
                     "en": "Jensen-Shannon divergence between p_data and p_g (on a grid): 0 when equal, log 2 ≈ 0.693 when disjoint."},
    "play.off_half": {"zh": "偏离 1/2：max |D(x) − 1/2|", "en": "max |D(x) − 1/2|"},
    "play.off_half_help": {"zh": "在真实数据所在区域内，判别器离 1/2 最远的距离。",
                           "en": "How far D strays from 1/2 where the real data lie."},
    "play.equilibrium": {
        "zh": "达到纳什均衡：p_g 与 p_data 几乎重合（JS < 0.05），D(x) 在数据上几乎处处为 1/2（偏差 < 0.1）。"
        "此时 D* = p_data/(p_data+p_g) = 1/2：判别器无法区分真假，只能猜；V(D,G) = −log 4。",
        "en": "Nash equilibrium reached: p_g nearly matches p_data (JS < 0.05) and D(x) is close to 1/2 across "
        "the data (off by < 0.1). There D* = p_data/(p_data+p_g) = 1/2: the discriminator cannot tell real from "
        "fake and can only guess; V(D,G) = −log 4.",
    },
    "play.curve.value": {"zh": "价值函数 V(D,G)", "en": "V(D,G)"},
    "play.curve.d_loss": {"zh": "判别器损失", "en": "D loss"},
    "play.curve.g_loss": {"zh": "生成器损失", "en": "G loss"},
    "play.curve.js": {"zh": "JS 散度", "en": "JS divergence"},
    "play.iteration": {"zh": "迭代", "en": "iteration"},
    "play.tab.images": {"zh": "图像：GAN 与 VAE", "en": "Images: a GAN and a VAE"},
    "play3.intro": {
        "zh": "在 8×8 的手写数字上（scikit-learn 自带的数据集）同时训练一个 GAN 和一个 VAE：两者都是小型全连接网络，"
        "隐变量维数相同，每一步用同一批真实数据。GAN 靠判别器对抗学习；VAE 最大化似然的下界（ELBO）。",
        "en": "A GAN and a VAE trained side by side on 8×8 handwritten digits (scikit-learn's built-in set): both "
        "small fully connected networks with the same latent size, each step on the same real batch. The GAN learns "
        "against its discriminator; the VAE maximises a lower bound on the likelihood (the ELBO)."},
    "play3.train": {"zh": "两个模型各训练 {n} 步", "en": "Train both {n} steps"},
    "play3.steps": {"zh": "训练步数", "en": "Steps"},
    "play3.caption.gan": {"zh": "GAN 生成（清晰像素 {crisp:.0%}）", "en": "GAN samples (crisp pixels {crisp:.0%})"},
    "play3.caption.vae": {"zh": "VAE 生成（清晰像素 {crisp:.0%}）", "en": "VAE samples (crisp pixels {crisp:.0%})"},
    "play3.caption.real": {"zh": "真实数字（清晰像素 {crisp:.0%}）", "en": "Real digits (crisp pixels {crisp:.0%})"},
    "play3.gan_curves": {"zh": "GAN：判别器输出", "en": "GAN: the discriminator's outputs"},
    "play3.vae_curves": {"zh": "VAE：重建项与 KL 项", "en": "VAE: reconstruction and KL terms"},
    "play3.recon": {"zh": "重建", "en": "reconstruction"},
    "play3.lesson": {
        "zh": "“清晰像素”是明显为墨迹或明显为纸面的像素比例。GAN 的样本很清晰：判别器会惩罚一切不像真实笔迹的东西，"
        "但它可能漏掉一些数字。VAE 的样本偏模糊：似然目标奖励“可能出现的东西的平均”，但它覆盖了所有数字。"
        "同样的噪声 z 送进两个模型：左右两格对应同一个 z。",
        "en": "“Crisp pixels” is the share of pixels that are clearly ink or clearly paper. The GAN's samples are "
        "crisp: its discriminator punishes anything that does not look like real strokes, though it may miss some "
        "digits. The VAE's are blurry: the likelihood rewards the average of what might be there, but it covers "
        "every digit. Both models get the same noise z: matching cells share a z."},
    "play.tab.1d": {"zh": "一维博弈（论文图 1）", "en": "1-D game (the paper's Figure 1)"},
    "play.tab.2d": {"zh": "二维博弈（GAN Lab 视图）", "en": "2-D game (GAN Lab's view)"},
    "play2.intro": {
        "zh": "平面上的博弈。背景颜色是判别器的判断（蓝：认为是真实数据，红：认为是生成的），黑点是真实样本，"
        "紫点是生成样本，紫色网格是生成器的流形（z 平面上的方格经 G 映射后的样子），红色短线是生成器的梯度："
        "每个生成样本下一步要往哪里移动。",
        "en": "The game on a plane. The background is the discriminator's decision (blue: it says real, red: "
        "generated), black dots are real samples, purple dots generated ones, the purple mesh is the generator's "
        "manifold (a square grid in z mapped through G), and the short red lines are the generator's gradient: "
        "where each generated sample is about to move.",
    },
    "play2.lesson": {"zh": "课例", "en": "Lesson"},
    "play2.lesson.healthy": {"zh": "正常训练", "en": "Healthy training"},
    "play2.lesson.mode_collapse": {"zh": "模式坍塌", "en": "Mode collapse"},
    "play2.lesson.vanishing": {"zh": "判别器太强：梯度消失", "en": "D too strong: vanishing gradients"},
    "play2.lesson.oscillation": {"zh": "学习率太高：振荡", "en": "Learning rates too high: oscillation"},
    "play2.explain.healthy": {
        "zh": "两个玩家学习率相同（0.002）、每步 k = 1。生成样本逐渐铺开，覆盖环上全部 8 个模式。",
        "en": "Equal learning rates (0.002), k = 1. The generated samples spread out until they cover all "
        "8 modes of the ring."},
    "play2.explain.mode_collapse": {
        "zh": "判别器每轮训练 10 步（k = 10），学习率 0.01，远强于生成器。每轮之后，D 只在一两个模式附近还说“真”，"
        "生成器就把几乎全部样本都挤到那里：8 个模式只覆盖一两个，这就是模式坍塌。看“覆盖的模式”一栏。",
        "en": "The discriminator takes 10 steps per generator step (k = 10) at learning rate 0.01, far stronger than "
        "the generator. After each round D still says “real” near one or two modes only, and the generator piles "
        "nearly all its samples there: one or two of the 8 modes covered. That is mode collapse. Watch “modes "
        "covered”."},
    "play2.explain.vanishing": {
        "zh": "饱和损失 log(1 − D(G(z))) 加上很强的判别器（k = 20，学习率 0.01）：D(G(z)) 很快接近 0，"
        "此处损失的曲线是平的，梯度几乎为零——红色短线消失，生成样本停在原地。换成非饱和损失再试试。",
        "en": "The saturating loss log(1 − D(G(z))) against a strong discriminator (k = 20, learning rate 0.01): "
        "D(G(z)) soon nears 0, where that loss is flat and its gradient almost zero: the red lines vanish and the "
        "fakes stop moving. Switch to the non-saturating loss and try again."},
    "play2.explain.oscillation": {
        "zh": "两个学习率都是 0.02：每一步都迈得太大，双方互相越过对方，生成样本绕圈而不收敛。",
        "en": "Both learning rates at 0.02: every step overshoots, the players leap past each other, and the "
        "generated samples circle instead of settling."},
    "play2.on_modes": {"zh": "落在模式上的样本", "en": "Samples on a mode"},
    "play2.on_modes_help": {"zh": "生成样本中离某个真实模式不到 3 个标准差的比例。覆盖的模式少、但这个比例高：样本挤在一两个模式上，这就是模式坍塌。",
                            "en": "The share of generated samples within 3 standard deviations of a real mode. Few modes "
                            "covered while this is high: the samples crowd onto one or two modes, which is mode collapse."},
    "play.play_help": {"zh": "连续训练：每秒画一帧，其间尽量多地迭代。播放时也可以点下面的按钮。",
                       "en": "Train continuously: a frame every second, as many iterations between frames as fit. "
                       "The buttons below still work while it plays."},
    "play2.data": {"zh": "真实数据", "en": "Real data"},
    "play2.data.ring": {"zh": "8 个高斯组成的环", "en": "a ring of 8 Gaussians"},
    "play2.data.grid": {"zh": "5×5 高斯网格", "en": "a 5×5 grid of Gaussians"},
    "play2.data.moons": {"zh": "两个半月", "en": "two moons"},
    "play2.data.line": {"zh": "一条线段", "en": "a line"},
    "play2.data.custom": {"zh": "自己点出来的点", "en": "points you place"},
    "play2.canvas_help": {"zh": "在方框里点击放置真实数据的点（每个点是一个小高斯）。方框下面的按钮可撤销最后一个点或全部清空。",
                          "en": "Click in the square to place real data points (each becomes a small Gaussian). The "
                          "buttons under the square undo the last point or clear them all."},
    "canvas.undo": {"zh": "撤销", "en": "Undo"},
    "canvas.clear": {"zh": "清空", "en": "Clear"},
    "play2.need_points": {"zh": "请先在方框里点几个点。", "en": "Place a few points in the square first."},
    "play2.no_canvas": {"zh": "画布组件不可用（{detail}），请选择预设数据。",
                        "en": "The drawing canvas is unavailable ({detail}); pick a preset instead."},
    "play2.layers": {"zh": "显示的图层", "en": "Layers"},
    "play2.layer.heat": {"zh": "判别器的判断", "en": "D's decision"},
    "play2.layer.real": {"zh": "真实样本", "en": "real samples"},
    "play2.layer.fake": {"zh": "生成样本", "en": "generated samples"},
    "play2.layer.manifold": {"zh": "生成器流形", "en": "generator manifold"},
    "play2.layer.gradients": {"zh": "生成器梯度", "en": "generator gradients"},
    "play2.real": {"zh": "真实样本", "en": "real"},
    "play2.fake": {"zh": "生成样本 G(z)", "en": "generated G(z)"},
    "play2.manifold": {"zh": "流形", "en": "manifold"},
    "play2.gradients": {"zh": "梯度", "en": "gradient"},
    "play2.modes": {"zh": "覆盖的模式", "en": "Modes covered"},
    "play2.modes_help": {"zh": "至少分到平均份额四分之一的生成样本（距中心 3 个标准差以内）的模式数。",
                         "en": "Modes that get at least a quarter of their fair share of generated samples "
                         "(within 3 standard deviations of the centre)."},
    "play2.grad": {"zh": "平均梯度范数", "en": "Mean gradient norm"},
    "play2.grad_help": {"zh": "生成器损失对每个生成样本位置的梯度大小的平均值；接近 0 表示梯度消失。",
                        "en": "The mean size of the generator loss' gradient at each generated sample; near 0 "
                        "means vanishing gradients."},
    # --- Real-or-fake quiz ------------------------------------------------------------------
    "nav.quiz": {"zh": "真还是假？", "en": "Real or fake?"},
    "quiz.title": {"zh": "真还是假？和检测器比一比", "en": "Real or fake? You against the detector"},
    "quiz.notice": {
        "zh": "本页含有人工智能生成或修改的图片。答题时它们不带显式标识（否则就没法猜了）；揭晓后会说明每张图的来源。"
        "本页的图片不提供下载。",
        "en": "This page contains AI-generated and AI-edited images. While you guess they carry no visible label "
        "(or there would be nothing to guess); each reveal says where the picture came from. Quiz images cannot "
        "be downloaded."},
    "quiz.mode": {"zh": "玩法", "en": "Mode"},
    "quiz.mode.solo": {"zh": "自己玩", "en": "Play alone"},
    "quiz.mode.student": {"zh": "加入课堂", "en": "Join a class"},
    "quiz.mode.teacher": {"zh": "教师：开一个课堂", "en": "Teacher: run a class"},
    "quiz.level": {"zh": "难度", "en": "Level"},
    "quiz.level.easy": {"zh": "简单", "en": "easy"},
    "quiz.level.medium": {"zh": "中等", "en": "medium"},
    "quiz.level.hard": {"zh": "困难", "en": "hard"},
    "quiz.level_help.easy": {"zh": "真实照片与本应用的 DCGAN 人脸。", "en": "Real photos and the app's DCGAN faces."},
    "quiz.level_help.medium": {"zh": "真实照片、StyleGAN2 人脸和少量 DCGAN 人脸。",
                               "en": "Real photos, StyleGAN2 faces and a few DCGAN faces."},
    "quiz.level_help.hard": {"zh": "真实照片、StyleGAN2 人脸、局部修复过的照片和换过脸的照片。",
                             "en": "Real photos, StyleGAN2 faces, photos with a repaired region, and face swaps."},
    "quiz.new": {"zh": "新的一局", "en": "New game"},
    "quiz.making": {"zh": "正在准备图片……", "en": "Preparing the picture…"},
    "quiz.question": {"zh": "第 {i} / {n} 题：这张脸是真实照片，还是生成/修改的？",
                      "en": "Round {i} of {n}: a real photo, or generated / edited?"},
    "quiz.say.real": {"zh": "真实", "en": "Real"},
    "quiz.say.fake": {"zh": "伪造", "en": "Fake"},
    "quiz.round": {"zh": "已答", "en": "Rounds"},
    "quiz.who.player": {"zh": "你", "en": "You"},
    "quiz.who.detector": {"zh": "检测器", "en": "Detector"},
    "quiz.next": {"zh": "下一题", "en": "Next round"},
    "quiz.prev": {"zh": "上一题", "en": "Previous round"},
    "quiz.final": {"zh": "结果：你和检测器", "en": "Results: you and the detector"},
    "quiz.truth.real": {"zh": "这是一张真实照片（FFHQ）。", "en": "This is a real photo (FFHQ)."},
    "quiz.truth.fake": {"zh": "这是伪造的：{kind}。", "en": "This is fake: {kind}."},
    "quiz.you_right": {"zh": "答对了！", "en": "Right!"},
    "quiz.you_wrong": {"zh": "答错了。", "en": "Wrong."},
    "quiz.kind.real": {"zh": "真实照片", "en": "real photos"},
    "quiz.kind.stylegan2": {"zh": "StyleGAN2 生成的人脸", "en": "StyleGAN2 faces"},
    "quiz.kind.dcgan": {"zh": "本应用的 DCGAN 人脸", "en": "the app's DCGAN faces"},
    "quiz.kind.inpaint": {"zh": "局部修复过的真实照片", "en": "real photos with a repaired region"},
    "quiz.kind.faceswap": {"zh": "换过脸的真实照片", "en": "face-swapped real photos"},
    "quiz.detector_said": {"zh": "检测器：{verdict}（伪造概率 {p:.0%}）", "en": "Detector: {verdict} (P(fake) {p:.0%})"},
    "quiz.detector_none": {"zh": "检测器对这张图无法判断。", "en": "The detector cannot judge this picture."},
    "quiz.detector_right": {"zh": "检测器这题答对了。", "en": "The detector got this one right."},
    "quiz.detector_wrong": {"zh": "检测器这题答错了。", "en": "The detector got this one wrong."},
    "quiz.giveaway.real": {
        "zh": "真实照片的线索：背景自然、左右不完全对称、耳环眼镜等细节前后一致、皮肤有真实的纹理。",
        "en": "Clues of a real photo: a natural background, faces not quite symmetric, earrings and glasses that "
        "match, skin with real texture."},
    "quiz.giveaway.stylegan2": {
        "zh": "StyleGAN2 的破绽：背景模糊扭曲、两只耳环不一样、头发和衣服边缘融在一起、牙齿形状奇怪。"
        "检测器看的是上采样在像素里留下的细微痕迹。",
        "en": "StyleGAN2's giveaways: a smeared, warped background, two different earrings, hair melting into "
        "clothes, odd teeth. The detector looks for the fine traces upsampling leaves in the pixels."},
    "quiz.giveaway.dcgan": {
        "zh": "DCGAN 人脸只有 64 像素，放大后模糊、皮肤过于平滑、五官像一团一团的。",
        "en": "The DCGAN makes 64 px faces: enlarged they are blurry, with over-smooth skin and blob-like features."},
    "quiz.giveaway.inpaint": {
        "zh": "一张真实照片，其中一块（眼睛、嘴、方块或几笔涂抹）被本应用的修复网络重新画过：那一块偏平滑、细节少。"
        "热力图可能正好指向它。",
        "en": "A real photo with one region (eyes, mouth, a box or a few strokes) repainted by the app's inpainting "
        "network: that patch is smoother and poorer in detail. The heatmap may point right at it."},
    "quiz.giveaway.faceswap": {
        "zh": "另一个真实人物的脸被换到这张照片上：看脸的边缘、肤色的交界、发际线。像素都是真实的："
        "检测器只能去找脸被融合进去的接缝，而细心的融合能把接缝藏得很好。",
        "en": "Another real person's face swapped onto this photo: look at the face's edge, where skin tones meet, "
        "the hairline. Every pixel is real: the detector can only look for the seam where the face was blended in, "
        "and a careful blend hides it well."},
    "quiz.lesson.won": {"zh": "你在{kinds}上赢了检测器。", "en": "You beat the detector on {kinds}."},
    "quiz.lesson.lost": {"zh": "检测器在{kinds}上赢了你。", "en": "The detector beat you on {kinds}."},
    "quiz.lesson.tied": {"zh": "在{kinds}上你们打平。", "en": "You tied on {kinds}."},
    "quiz.lesson.moral": {
        "zh": "人眼擅长看语义上的错误，检测器擅长看像素里的痕迹；两者都会错，所以看到“照片”时要问一句：它从哪里来？",
        "en": "Eyes catch errors of meaning, a detector catches traces in the pixels; both miss things, so ask of "
        "any “photo”: where does it come from?"},
    "quiz.pairs": {"zh": "成对出题：哪一张是假的？", "en": "Pairs: which one is fake?"},
    "quiz.pairs_help": {"zh": "每题一张真实照片和一张伪造图片并排。检测器选伪造概率更高的那张：很多题下来，它选对的比例就是 AUC。",
                        "en": "Each round puts a real photo beside a fake. The detector picks the one it gives the "
                        "higher probability of fake: over many rounds its share right is its AUC."},
    "quiz.pair_question": {"zh": "第 {i} / {n} 题：哪一张是伪造的？", "en": "Round {i} of {n}: which one is fake?"},
    "quiz.pick_this": {"zh": "这张是假的", "en": "This one is fake"},
    "quiz.pair_detector": {"zh": "检测器给出的伪造概率：真实照片 {real:.0%}，伪造图片 {fake:.0%}。",
                           "en": "The detector's probability of fake: the real photo {real:.0%}, the fake {fake:.0%}."},
    "quiz.code": {"zh": "课堂码", "en": "Room code"},
    "quiz.code_help": {"zh": "输入老师屏幕上显示的课堂码。不需要姓名，答案匿名保存。",
                       "en": "Enter the code on the teacher's screen. No name needed; answers are stored anonymously."},
    "quiz.no_room": {"zh": "没有课堂码为 {code} 的课堂，请检查后重试。", "en": "There is no room {code}; check the code and try again."},
    "quiz.recorded": {"zh": "已记录你的答案：{answer}。老师揭晓前可以改。",
                      "en": "Your answer is recorded: {answer}. You can change it until the teacher reveals."},
    "quiz.rounds": {"zh": "题数", "en": "Rounds"},
    "quiz.open_room": {"zh": "开一个课堂", "en": "Open a room"},
    "quiz.teacher_help": {"zh": "选好难度和题数，开一个课堂；学生在“加入课堂”里输入课堂码，和你看到同样的图片。",
                          "en": "Choose a level and the rounds, then open a room; students enter its code under "
                          "“Join a class” and see the same pictures as you."},
    "quiz.room_code_label": {"zh": "课堂码", "en": "Room code"},
    "quiz.join_at": {"zh": "学生用手机扫码，或在浏览器打开 **{url}**（已带课堂码）。不需要姓名。",
                     "en": "Students: scan the code, or open **{url}** on a phone (the room is in the address). No name "
                     "needed."},
    "quiz.no_lan": {"zh": "这台电脑现在没有局域网地址，手机连不上 localhost。请把电脑和学生的手机连到同一个网络（Wi-Fi），再刷新本页。",
                    "en": "This computer has no address on a local network right now, and phones cannot reach "
                    "“localhost”. Connect it to the same network (Wi-Fi) as the students' phones, then reload this page."},
    "quiz.take_back": {"zh": "收回一个课堂（刷新页面后，或换一台设备）", "en": "Take back a room (after a reload, or on another device)"},
    "quiz.teacher_key": {"zh": "教师密钥", "en": "Teacher key"},
    "quiz.take_back_go": {"zh": "收回", "en": "Take back"},
    "quiz.take_back_wrong": {"zh": "课堂码或教师密钥不对。", "en": "That room code and teacher key do not match."},
    "quiz.room_menu": {"zh": "课堂设置：教师密钥、重置、新课堂", "en": "Room: teacher key, reset, new room"},
    "quiz.teacher_key_is": {
        "zh": "教师密钥：`{secret}`。只有拿着它的人才能揭晓、换题或重置。不要投影出来；刷新页面后用它收回课堂。",
        "en": "Teacher key: `{secret}`. Only whoever holds it can reveal, change the round or reset. Keep it off the "
        "projector; after a reload, take the room back with it."},
    "quiz.reset": {"zh": "重置课堂", "en": "Reset the room"},
    "quiz.reset_help": {"zh": "回到第 1 题，清空全部答案。", "en": "Back to round 1, every answer removed."},
    "quiz.new_room": {"zh": "开一个新课堂", "en": "Open a new room"},
    "quiz.new_room_help": {"zh": "离开这个课堂（它仍在，可用密钥收回），再开一个新的。",
                           "en": "Leave this room (it stays; its key takes it back) and open another."},
    "quiz.pick_mode": {"zh": "选一种玩法：自己玩、加入老师的课堂，或者作为老师开一个课堂。",
                       "en": "Pick how to play: alone, in your teacher's class, or as the teacher running one."},
    "quiz.too_late": {"zh": "太晚了：老师已经揭晓或换到下一题，这个答案没有记录。",
                      "en": "Too late: the teacher has revealed this round or moved on; this answer was not recorded."},
    "quiz.who.class": {"zh": "全班（多数）", "en": "The class (majority)"},
    "quiz.class_final": {"zh": "全班对检测器：每类图片的正确率", "en": "The class against the detector, per kind of picture"},
    "quiz.class_lesson.won": {"zh": "全班在{kinds}上赢了检测器。", "en": "The class beat the detector on {kinds}."},
    "quiz.class_lesson.lost": {"zh": "检测器在{kinds}上赢了全班。", "en": "The detector beat the class on {kinds}."},
    "quiz.class_lesson.tied": {"zh": "在{kinds}上全班和检测器打平。", "en": "The class and the detector tied on {kinds}."},
    "quiz.reveal": {"zh": "揭晓", "en": "Reveal"},
    "quiz.answered": {"zh": "已作答人数", "en": "Answers"},
    "quiz.class_says": {"zh": "认为伪造 {fake} 人 · 认为真实 {real} 人", "en": "{fake} say fake · {real} say real"},
    "quiz.class_vs_detector": {"zh": "已揭晓 {n} 题：全班多数答对 {cls} 题，检测器答对 {det} 题（{players} 名学生参与）。",
                               "en": "{n} rounds revealed: the class majority got {cls} right, the detector {det} "
                               "({players} students playing)."},
    # --- Rules page ---------------------------------------------------------------------------
    "nav.rules": {"zh": "规则", "en": "Rules"},
    "rules.title": {"zh": "规则：中国对生成式人工智能的要求", "en": "Rules: what China asks of generative AI"},
    "rules.intro": {
        "zh": "课程最后一部分的要点，用平实的话写出，并注明条款。这是教学摘要，不是法律意见；以官方发布的原文为准。",
        "en": "The closing part of the lecture in plain words, with the article numbers. A teaching summary, not "
        "legal advice: the official texts decide."},
    "rules.tab.rules": {"zh": "规则说了什么", "en": "What the rules say"},
    "rules.tab.filing": {"zh": "备案清单", "en": "Filing checklist"},
    "rules.tab.check": {"zh": "标识检查", "en": "Label checker"},
    "rules.tab.try": {"zh": "动手试试", "en": "Try it"},
    "rules.interim.title": {
        "zh": "《生成式人工智能服务管理暂行办法》（国家网信办等七部门，2023 年 7 月 10 日公布，8 月 15 日施行）",
        "en": "Interim Measures for the Management of Generative AI Services (CAC and six other departments, "
        "published 10 July 2023, in force 15 August 2023)"},
    "rules.interim.body": {
        "zh": "- **第四条 内容与伦理**：坚持社会主义核心价值观，不得生成虚假有害信息；在算法设计、训练数据选择、模型生成和优化、"
        "提供服务中采取有效措施**防止歧视**（民族、信仰、国别、地域、性别、年龄、职业、健康等）；尊重知识产权；"
        "不得侵害他人肖像权、名誉权、隐私权和个人信息权益；提高生成内容的准确性和可靠性。\n"
        "- **第七条 训练数据**：使用具有合法来源的数据和基础模型；不得侵害知识产权；涉及个人信息的应取得同意；"
        "提高训练数据的真实性、准确性、客观性、多样性。\n"
        "- **第十二条 标识**：提供者应当按照《互联网信息服务深度合成管理规定》对图片、视频等生成内容进行标识。\n"
        "- **第十四条 违法内容**：发现违法内容应及时停止生成、停止传输、消除，进行模型优化训练整改，并向主管部门报告。\n"
        "- **第十七条 安全评估与备案**：提供具有舆论属性或者社会动员能力的生成式人工智能服务的，应当开展安全评估，"
        "并按照《互联网信息服务算法推荐管理规定》履行算法备案手续。",
        "en": "- **Art. 4, content and ethics**: uphold the core socialist values and generate no false or harmful "
        "information; take effective measures to **prevent discrimination** (by ethnicity, belief, country, region, "
        "sex, age, occupation, health…) in algorithm design, choice of training data, model generation and "
        "optimisation, and service; respect intellectual property; do not infringe others' rights of portrait, "
        "reputation, privacy and personal information; make generated content more accurate and reliable.\n"
        "- **Art. 7, training data**: data and base models from lawful sources; no infringement of intellectual "
        "property; consent where personal information is used; more truthful, accurate, objective and diverse data.\n"
        "- **Art. 12, labelling**: providers label generated images, videos and other content as the Provisions on "
        "Deep Synthesis require.\n"
        "- **Art. 14, illegal content**: stop generating and transmitting it, remove it, fix the model by "
        "optimisation training, and report to the authorities.\n"
        "- **Art. 17, assessment and filing**: services with public-opinion attributes or social-mobilisation "
        "capacity undergo a security assessment and file their algorithms under the Provisions on Algorithmic "
        "Recommendation."},
    "rules.labelling.title": {
        "zh": "《人工智能生成合成内容标识办法》（国家网信办、工业和信息化部、公安部、广电总局，2025 年 3 月公布，9 月 1 日施行）",
        "en": "Measures for Labelling AI-Generated Synthetic Content (CAC, MIIT, MPS, NRTA; published March 2025, in "
        "force 1 September 2025)"},
    "rules.labelling.body": {
        "zh": "- **第三条 两种标识**：显式标识是用户能明显感知的文字、声音、图形等；隐式标识是通过技术措施加在文件数据中、"
        "用户不易感知的标识。\n"
        "- **第四条 显式标识**：图片应在适当位置添加显著的提示标识；下载、复制、导出的文件中也要保留。\n"
        "- **第五条 隐式标识**：在文件元数据中加入生成合成内容的属性信息、服务提供者名称或编码、内容编号等；"
        "鼓励使用数字水印等形式。\n"
        "- **第六条 传播平台**：核验元数据中的隐式标识，在发布内容周边添加显著提示；没有隐式标识但用户声明或检测到痕迹的，"
        "标注为“可能”或“疑似”生成合成内容。\n"
        "- **第九条**：用户要求提供不含显式标识的内容时，可以在用户协议中明确其标识义务和使用责任后提供，并保存相关日志不少于六个月。\n"
        "- **第十条**：用户发布生成合成内容应主动声明；任何组织和个人不得恶意删除、篡改、伪造、隐匿标识。",
        "en": "- **Art. 3, two kinds of label**: an explicit label is text, sound or graphics users plainly perceive; "
        "an implicit label is added to the file's data by technical means, not easily perceived.\n"
        "- **Art. 4, explicit labels**: an image gets a prominent notice at a suitable position, kept in files that "
        "are downloaded, copied or exported.\n"
        "- **Art. 5, implicit labels**: the file's metadata carries the content's generated status, the provider's "
        "name or code and a content ID; digital watermarks are encouraged.\n"
        "- **Art. 6, platforms**: check files for the implicit label and show a prominent notice around the "
        "content; without one, but declared by the user or with detected traces, label it “possibly” or "
        "“suspected” AI-generated.\n"
        "- **Art. 9**: content without the explicit label may be given on a user's request once the user agreement "
        "states the user's duties, with logs kept at least six months.\n"
        "- **Art. 10**: users declare generated content when they publish it; no one may maliciously delete, alter, "
        "forge or hide labels."},
    "rules.standard.title": {
        "zh": "国家标准 GB 45438-2025《网络安全技术 人工智能生成合成内容标识方法》（2025 年 9 月 1 日实施）",
        "en": "National standard GB 45438-2025, Cybersecurity technology: labelling method for AI-generated "
        "synthetic content (in force 1 September 2025)"},
    "rules.standard.body": {
        "zh": "- **图片的显式标识**：文字提示至少包含“人工智能”或“AI”以及“生成”或“合成”（如“AI生成”），"
        "放在图片的边或角上，文字高度**不低于图片最短边的 5%**。\n"
        "- **隐式标识（附录 E）**：元数据中的 `AIGC` 字段，包含标识（Label：生成 / 可能生成 / 疑似生成）、"
        "生成合成服务提供者（ContentProducer）、内容制作编号（ProduceID）、传播服务提供者与传播编号、预留字段。\n"
        "- 本应用导出的每张图片都带有：角上的“AI生成”标识、上述隐式标识、隐形水印，以及本地登记记录。",
        "en": "- **Explicit label on an image**: text containing “人工智能” or “AI” and “生成” or “合成” "
        "(e.g. “AI生成”), on an edge or in a corner, text **at least 5% of the image's shortest side** high.\n"
        "- **Implicit label (Annex E)**: an `AIGC` field in the metadata with the label (generated / possibly / "
        "suspected), the producing service (ContentProducer), a content ID (ProduceID), the propagating platform "
        "and its ID, and reserved fields.\n"
        "- Every image this app exports carries a “AI生成” label in a corner, this implicit label, an invisible "
        "watermark, and a row in the local export registry."},
    "rules.filing.intro": {
        "zh": "面向境内公众提供具有舆论属性或社会动员能力的生成式人工智能服务，上线前要走的主要步骤（勾选可跟踪进度）：",
        "en": "The main steps before a generative AI service with public-opinion attributes or social-mobilisation "
        "capacity opens to the public in China (tick them to track progress):"},
    "rules.filing.1": {"zh": "确认服务是否需要备案（暂行办法第十七条）：面向公众、具有舆论属性或社会动员能力。",
                       "en": "Decide whether the service must file (Interim Measures Art. 17): public-facing, with "
                       "public-opinion attributes or mobilisation capacity."},
    "rules.filing.2": {"zh": "完成安全评估：训练语料安全、模型安全、安全措施（可参照 TC260-003《生成式人工智能服务安全基本要求》），"
                       "准备关键词库和测试题库。",
                       "en": "Run the security assessment: training-corpus safety, model safety, safeguards (see "
                       "TC260-003, Basic security requirements for generative AI services); prepare a keyword "
                       "library and test question sets."},
    "rules.filing.3": {"zh": "在“互联网信息服务算法备案系统”填报算法备案（算法推荐管理规定第二十四条，提供服务之日起十个工作日内）。",
                       "en": "File the algorithm in the Internet Information Service Algorithm Filing System "
                       "(Algorithmic Recommendation Provisions Art. 24, within ten working days of starting "
                       "service)."},
    "rules.filing.4": {"zh": "向属地省级网信部门提交生成式人工智能服务备案材料（备案表、安全自评估报告、服务协议、语料标注规则、"
                       "关键词与测试题等）；调用已备案大模型的应用办理登记。",
                       "en": "Submit the generative-AI service filing to the provincial cyberspace office (filing "
                       "form, security self-assessment, service agreement, corpus annotation rules, keywords and test "
                       "questions); apps built on an already filed model register instead."},
    "rules.filing.5": {"zh": "在网站或应用的显著位置公示备案编号或上线编号。",
                       "en": "Show the filing or launch number prominently on the website or in the app."},
    "rules.filing.6": {"zh": "上线后持续履责：生成内容加标识、设置投诉举报入口、处置违法内容、保存日志。",
                       "en": "Once live: label generated content, run a complaints channel, deal with illegal content, "
                       "keep logs."},
    "rules.filing.done": {"zh": "已完成 {n} / {total} 步。", "en": "{n} of {total} steps done."},
    "rules.check.intro": {
        "zh": "上传任意图片，查看它带有哪些标识、是否齐全，以及按规则还缺什么。本应用导出的图片应当全部通过；"
        "去掉元数据后再保存的图片，通常只剩下隐形水印（以及画面里的显式标识）。",
        "en": "Upload any image to see which labels it carries, whether they are complete, and what the rules would "
        "still ask for. Images exported by this app should pass everything; re-saved without their metadata, "
        "usually only the invisible watermark (and the visible label in the pixels) is left."},
    "rules.check.upload": {"zh": "要检查的图片", "en": "Image to check"},
    "rules.check.example": {"zh": "或者用一张本应用导出的示例图片", "en": "Or use an example exported by this app"},
    "rules.check.verdict.complete": {"zh": "标识齐全：显式标识和隐式标识都在，字段完整。",
                                     "en": "Fully labelled: both the explicit and the implicit label are there, with their fields."},
    "rules.check.verdict.partial": {"zh": "只有部分标识：见下表中缺少的项目。",
                                    "en": "Partly labelled: see what is missing below."},
    "rules.check.verdict.none": {"zh": "没有任何可读的标识。如果这是 AI 生成的图片，它不符合标识规则（或标识已被去掉）；"
                                 "如果是真实照片，这正是应有的样子。",
                                 "en": "No readable label at all. If this image is AI-generated it does not meet the "
                                 "labelling rules (or its labels were stripped); if it is a real photo, that is as it "
                                 "should be."},
    "rules.check.col.label": {"zh": "标识", "en": "Label"},
    "rules.check.col.status": {"zh": "结果", "en": "Result"},
    "rules.check.col.says": {"zh": "说明", "en": "What it means"},
    "rules.status.pass": {"zh": "✓ 通过", "en": "✓ pass"},
    "rules.status.fail": {"zh": "✗ 缺少", "en": "✗ missing"},
    "rules.status.warn": {"zh": "⚠ 有问题", "en": "⚠ flawed"},
    "rules.status.info": {"zh": "ℹ️ 信息", "en": "ℹ️ info"},
    "rules.label.explicit": {"zh": "显式标识（画面中的“AI生成”）", "en": "Explicit label (“AI生成” in the picture)"},
    "rules.label.implicit": {"zh": "隐式标识（TC260 AIGC 元数据）", "en": "Implicit label (TC260 AIGC metadata)"},
    "rules.label.implicit_fields": {"zh": "隐式标识的必填字段", "en": "The implicit label's required fields"},
    "rules.label.integrity": {"zh": "标识与像素是否一致", "en": "Label matches the pixels"},
    "rules.label.watermark": {"zh": "隐形水印", "en": "Invisible watermark"},
    "rules.label.c2pa": {"zh": "C2PA 内容凭证", "en": "C2PA content credentials"},
    "rules.label.hints": {"zh": "其他元数据线索（EXIF 等）", "en": "Other metadata hints (EXIF…)"},
    "rules.says.explicit.pass": {"zh": "本应用的登记记录显示：导出时加了显式标识。", "en": "This app's registry shows the export carried the visible label."},
    "rules.says.explicit.fail": {"zh": "登记记录显示：应用户要求去掉了显式标识（第九条，已记录）。",
                                 "en": "The registry shows the visible label was left off on request (Art. 9, logged)."},
    "rules.says.explicit.info": {"zh": "画面中的文字程序无法可靠读取：请看图片的边角有没有“AI生成”，高度不低于最短边的 5%。",
                                 "en": "Text in the pixels cannot be read reliably by a program: look for “AI生成” on an "
                                 "edge or corner, at least 5% of the shorter side high."},
    "rules.says.implicit.pass": {"zh": "找到隐式标识，声明：{detail}。", "en": "Implicit label found, declaring: {detail}."},
    "rules.says.implicit.warn": {"zh": "找到隐式标识但已损坏。", "en": "An implicit label is there but damaged."},
    "rules.says.implicit.fail": {"zh": "没有隐式标识。生成的图片必须在元数据中带有它（标识办法第五条）。",
                                 "en": "No implicit label. A generated image must carry one in its metadata (Measures Art. 5)."},
    "rules.says.implicit_fields.pass": {"zh": "Label、ContentProducer、ProduceID 都已填写。",
                                        "en": "Label, ContentProducer and ProduceID are filled in."},
    "rules.says.implicit_fields.fail": {"zh": "缺少字段：{detail}。", "en": "Missing fields: {detail}."},
    "rules.says.integrity.pass": {"zh": "标识中记录的像素摘要与图片一致：像素没有被改过。",
                                  "en": "The pixel digest in the label matches: the pixels were not changed."},
    "rules.says.integrity.warn": {"zh": "像素摘要不一致：标识写入后图片被改过，或标识是从别的文件复制来的。",
                                  "en": "The pixel digest differs: the picture changed after labelling, or the label "
                                  "was copied from another file."},
    "rules.says.integrity.info": {"zh": "标识中没有可核对的像素摘要。", "en": "The label holds no pixel digest to check."},
    "rules.says.watermark.pass": {"zh": "找到本应用的隐形水印（载荷 {detail}）：去掉元数据、重新保存后它仍在。",
                                  "en": "This app's invisible watermark is there (payload {detail}): it survives "
                                  "stripping and re-saving."},
    "rules.says.watermark.info": {"zh": "没有本应用的水印（其他软件的水印本页读不出）。",
                                  "en": "No watermark of this app (other software's watermarks cannot be read here)."},
    "rules.says.c2pa.pass": {"zh": "有完好的 C2PA 凭证（签名者：{detail}）。", "en": "Intact C2PA credentials (signed by {detail})."},
    "rules.says.c2pa.warn": {"zh": "有 C2PA 凭证，但与文件对不上。", "en": "C2PA credentials that no longer match the file."},
    "rules.c2pa.explain": {
        "zh": "**什么是 C2PA？** 内容凭证（Content Credentials）是写在文件里、带数字签名的来源记录：谁用什么工具做的、"
        "是不是 AI 生成、后来怎么改的。签名证明两件事：签名后文件没被改过，以及签名证书属于谁（本应用用 {date} 的 C2PA "
        "信任列表核对）。它**不**证明内容是真的：签名者写什么，凭证就说什么；去掉元数据再保存，凭证就没了。",
        "en": "**What is C2PA?** Content Credentials are a signed record of origin inside the file: who made it with "
        "which tool, whether AI generated it, how it was edited since. The signature proves two things: the file is "
        "unchanged since signing, and whose certificate signed it (this app checks it against the C2PA trust list "
        "of {date}). It does **not** prove the content true: the credentials say what their signer wrote, and a "
        "re-save without metadata removes them."},
    "rules.says.c2pa.info": {"zh": "没有 C2PA 凭证（中国的规则不要求，但它是国际上常见的来源证明）。",
                             "en": "No C2PA credentials (China's rules do not ask for them; they are a common "
                             "provenance record elsewhere)."},
    "rules.says.hints.info": {"zh": "发现：{detail}", "en": "Found: {detail}"},
    "rules.no_hints": {"zh": "无", "en": "nothing"},
    "rules.try.intro": {
        "zh": "给一张你自己的图片加上本应用的全部标识，看每个标识出现；再模拟一次“去掉元数据、重新压缩”的转发，看哪些标识还在。"
        "（仅作演示：标识会声明这张图是 AI 生成的。）",
        "en": "Label an image of your own with all of this app's labels and watch each appear; then imitate a re-share "
        "that strips the metadata and re-compresses it, and see which labels survive. (A demonstration: the labels "
        "will declare the picture AI-generated.)"},
    "rules.try.upload": {"zh": "你的图片", "en": "Your image"},
    "rules.try.labelled": {"zh": "加上标识后", "en": "Labelled"},
    "rules.try.stripped": {"zh": "去掉元数据并以 JPEG 85 重新保存后", "en": "Stripped and re-saved as JPEG 85"},
    # --- picking an image (ui.pick) --------------------------------------------------------
    "pick.source": {"zh": "图片来源", "en": "Image"},
    "pick.source.upload": {"zh": "上传", "en": "Upload"},
    "pick.source.example": {"zh": "示例人脸", "en": "Example face"},
    "pick.example": {"zh": "示例（128 像素）", "en": "Example (128 px)"},
    "pick.example.real": {"zh": "{name}：FFHQ 真实照片", "en": "{name}: a real FFHQ photo"},
    "pick.example.stylegan2": {"zh": "{name}：StyleGAN2 生成", "en": "{name}: made by StyleGAN2"},
    "pick.source.session": {"zh": "本次会话生成的图片", "en": "Made in this session"},
    "pick.session": {"zh": "选择图片", "en": "Pick an image"},
    "pick.session_hint": {"zh": "提示：在“生成人脸”页固定人脸后点“送去修复/检测”，即可在这里选用。",
                          "en": "Tip: pin a face on the Generate page and press “Send to repair / detect” to use it here."},
    "pick.downscaled": {"zh": "图片较大，已缩小到最长边 {side} 像素再处理。",
                        "en": "Large image: downscaled to {side} px on its longer side."},
    # --- inpaint ---------------------------------------------------------------------------
    "inp.title": {"zh": "图像修复：让生成器补上缺失的部分", "en": "Image repair: let a generator fill the hole"},
    "inp.intro": {
        "zh": "涂抹掉人脸或照片的一部分（眼镜、疤痕、嘴巴……），比较经典算法、GAN 反演和我们训练的修复网络如何填补，"
        "再让检测器找出修补的位置。",
        "en": "Paint over part of a face or photo (glasses, a scar, the mouth...), compare how a classical "
        "algorithm, GAN inversion and our trained repair network fill it, then let the detector find the repair.",
    },
    "inp.upload": {"zh": "要修复的图片（JPEG、PNG、WebP、AVIF、GIF、BMP、TIFF）", "en": "Image to repair (JPEG, PNG, WebP, AVIF, GIF, BMP, TIFF)"},
    "inp.empty": {"zh": "上传一张图片，或选用本次会话生成的人脸。", "en": "Upload an image, or pick a face made in this session."},
    "inp.mask_title": {"zh": "① 标出要修复的区域", "en": "① Mark the area to repair"},
    "inp.presets": {"zh": "预设区域", "en": "Presets"},
    "inp.preset.eyes": {"zh": "眼睛", "en": "Eyes"},
    "inp.preset.mouth": {"zh": "嘴巴", "en": "Mouth"},
    "inp.preset.strokes": {"zh": "随机笔画", "en": "Random strokes"},
    "inp.preset.box": {"zh": "方块", "en": "Box"},
    "inp.brush": {"zh": "画笔粗细", "en": "Brush size"},
    "inp.stroke_seed": {"zh": "笔画种子", "en": "Stroke seed"},
    "inp.canvas_help": {"zh": "在图上涂抹要修复的区域。图下面的按钮可撤销最后一笔或全部清空。",
                        "en": "Paint over what should be repaired. The buttons under the picture undo the last stroke "
                        "or clear them all."},
    "inp.no_canvas": {"zh": "画笔画布不可用（{detail}），请使用预设区域。",
                      "en": "The painting canvas is not available here ({detail}); use the presets."},
    "inp.mask_caption": {"zh": "待修复区域（占图片 {share:.0%}）", "en": "Area to repair ({share:.0%} of the image)"},
    "inp.methods": {"zh": "修复方法", "en": "Methods"},
    "inp.methods_help": {
        "zh": "Telea / Navier-Stokes：从边缘向内扩散颜色的经典算法。GAN 反演：寻找让人脸 GAN 生成的图像与剩余像素吻合的 z"
        "（每张人脸约数秒）。门控卷积 U-Net：我们在 2000 张真实人脸上训练的修复网络。",
        "en": "Telea / Navier-Stokes: classical methods that spread colours inward from the edge. GAN inversion: "
        "searches for the z whose generated face matches the pixels that are left (a few seconds per face). "
        "Gated-conv U-Net: the repair network we trained on 2,000 real faces.",
    },
    "inp.method.telea": {"zh": "Telea（经典）", "en": "Telea (classical)"},
    "inp.method.navier-stokes": {"zh": "Navier-Stokes（经典）", "en": "Navier-Stokes (classical)"},
    "inp.method.gan-inversion": {"zh": "GAN 反演", "en": "GAN inversion"},
    "inp.method.gated-unet": {"zh": "门控卷积 U-Net（学习）", "en": "Gated-conv U-Net (learned)"},
    "inp.run": {"zh": "开始修复", "en": "Repair"},
    "inp.running": {"zh": "正在运行：{method}", "en": "Running: {method}"},
    "inp.results_title": {"zh": "② 修复结果", "en": "② Results"},
    "inp.route.face": {"zh": "在人脸区域上修复", "en": "repaired on the face crop"},
    "inp.route.whole": {"zh": "未找到人脸：把整张小图当作一张人脸处理", "en": "no face found: the small image was treated as one face"},
    "inp.route.mixed": {"zh": "人脸内由模型修复，人脸外的部分改用 Telea",
                        "en": "the model filled the face; hole parts outside it fell back to Telea"},
    "inp.route.classical": {"zh": "未找到人脸：改用经典的 Telea 方法", "en": "no face found: fell back to the classical Telea method"},
    "inp.route.classical_method": {"zh": "经典算法", "en": "classical algorithm"},
    "inp.seconds": {"zh": "{s:.2f} 秒", "en": "{s:.2f} s"},
    "inp.slow_running": {"zh": "GAN 反演较慢（几秒到十秒），其他方法的结果已经在旁边了。",
                         "en": "GAN inversion is slow (seconds, up to ten): the other methods' results are already here."},
    "inp.cancel": {"zh": "取消", "en": "Cancel"},
    "inp.queued": {"zh": "{method}：服务器上另一位同学的慢速修复正在运行，你的会紧接着开始……",
                   "en": "{method}: another user's slow repair is running on this server; yours starts right after…"},
    "inp.cancelled": {"zh": "已取消。", "en": "Cancelled."},
    "inp.note.time_budget": {"zh": "已到时间上限，使用目前最好的结果", "en": "time limit reached: best result so far"},
    "inp.note.cancelled": {"zh": "已取消，使用目前最好的结果", "en": "cancelled: best result so far"},
    "inp.download": {"zh": "下载（带 AI 生成标识）", "en": "Download (labelled)"},
    "inp.send": {"zh": "送去检测", "en": "Send to detector"},
    "inp.compare_title": {"zh": "③ 修复前后对比", "en": "③ Before and after"},
    "inp.compare_method": {"zh": "方法", "en": "Method"},
    "inp.compare_slider": {"zh": "← 修复前 · 修复后 →", "en": "← before · after →"},
    "inp.compare_caption": {"zh": "左侧为原图，右侧为修复结果", "en": "Left of the line: original; right: repaired"},
    "inp.catch_title": {"zh": "④ 找出修补痕迹", "en": "④ Catch the repair"},
    "inp.catch_intro": {
        "zh": "检测器只看像素，不知道你涂了哪里。热力图越贴合白色轮廓（你涂抹的区域），说明这种修复越容易被发现。",
        "en": "The detector sees only the pixels, not your mask. The closer its heatmap follows the white outline "
        "(what you painted), the easier that repair is to catch.",
    },
    "inp.catch_run": {"zh": "让检测器检查每个结果", "en": "Let the detector check every result"},
    "inp.catch_running": {"zh": "检测中……", "en": "Judging..."},
    "inp.catch_scores": {"zh": "{verdict} · 像素 AUC {auc} · IoU {iou:.2f}",
                         "en": "{verdict} · pixel AUC {auc} · IoU {iou:.2f}"},
    "inp.catch_p": {"zh": "伪造概率 {p:.0%}", "en": "P(fake) {p:.0%}"},
    "inp.catch_some": {"zh": "检测器标出了 {total} 个修复中的 {n} 个（判为伪造或不确定，或热力图落在涂抹区域上）。",
                       "en": "The detector flagged {n} of {total} repairs (a verdict of “fake” or “uncertain”, or its heatmap "
                       "on the painted area)."},
    "inp.catch_hid_best": {"zh": "没被标出的修复里，最能隐藏修补痕迹的是：{method}。",
                           "en": "Of those it missed, hid its work best: {method}."},
    "inp.catch_unjudged": {
        "zh": "检测器无法判断这张图（{reason}），所以没有判断任何一个修复，也不画热力图：这里没有什么可“抓”的。换一张人脸照片试试。",
        "en": "The detector cannot judge this picture ({reason}), so it judged none of the repairs and draws no "
        "heatmap: there is nothing to catch here. Try a photo of a face."},
    "inp.catch_none": {"zh": "检测器没有发现任何一个修复：全部判为未发现生成痕迹，热力图也没有指向涂抹区域。",
                       "en": "The detector caught none of the repairs: it found no traces in any, and no heatmap points at "
                       "the painted area."},
    "inp.catch_why_large": {"zh": "原因：检测器是在 128 像素的人脸裁剪上训练的，大图（这张长边 {side} 像素）会按人脸缩小到 128 像素再判断"
                            "（热力图另看 256 像素），修补区域随之缩小，痕迹也就看不清了。换一张小一些的人脸图片试试。",
                            "en": "Why: it was trained on 128 px face crops, and a larger photo (this one is {side} px on its "
                            "longer side) is judged face by face, shrunk to 128 px (256 px for the heatmap), so the repair "
                            "shrinks with it and its traces fade. Try a smaller face image."},
    "inp.catch_why_small": {"zh": "原因：修补区域小、修得又平滑时，留下的痕迹太弱（这张长边 {side} 像素）。换一个更大的区域试试。",
                            "en": "Why: a small, smooth repair leaves traces too faint for it (this image is {side} px on its "
                            "longer side). Try a larger area."},
    "inp.catch_faint": {"zh": "没有一个修复被判为伪造，热力图的高值区也没有盖住涂抹区域；但在 {total} 个修复中有 {n} 个，热力图把涂抹区域排在其余像素前面"
                        "（像素 AUC ≥ {auc}）：痕迹还在，只是太弱，没有越过阈值。",
                        "en": "No repair was called fake and no heatmap's hot area covers the painted one; yet for {n} of {total} repairs the heatmap "
                        "ranks the painted pixels above the rest (pixel AUC ≥ {auc}): the traces are there, too faint to "
                        "cross the threshold."},
    "inp.catch_note": {
        "zh": "像素 AUC：热力图把修补像素排在未修补像素前面的概率（0.5 = 瞎猜，1 = 完美）。IoU：热力图 ≥ 50% 的区域与涂抹区域的重合度。",
        "en": "Pixel AUC: how often the heatmap ranks a repaired pixel above an untouched one (0.5 = guessing, "
        "1 = perfect). IoU: overlap of the heatmap's >= 50% area with the painted area.",
    },
    "inp.error.empty_mask": {"zh": "还没有标出要修复的区域：请涂抹或选择预设。", "en": "Nothing is marked yet: paint or pick a preset."},
    "inp.error.full_mask": {"zh": "整张图都被标出了，没有可参考的像素。请留下一部分。",
                            "en": "The whole image is marked: nothing is left to fill from. Leave part of it."},
    "inp.error.too_small": {"zh": "图片太小（至少 16×16 像素）。", "en": "The image is too small (at least 16x16 pixels)."},
    "inp.error.shape": {"zh": "图片和区域的尺寸不一致。", "en": "The image and the mask differ in size."},
    "inp.error.model": {"zh": "无法加载模型：{detail}", "en": "The model could not be loaded: {detail}"},
    "det.title": {"zh": "这张图是真是假？", "en": "Is it real or fake?"},
    "det.intro": {
        "zh": "上传一张或多张图片。检测器先找出人脸，再用判别器逐块判断，并读取图片中的标识和水印。",
        "en": "Upload one or many images. The detector finds faces, judges them patch by patch with a "
        "discriminator, and reads any labels and watermarks in the file.",
    },
    "det.upload": {"zh": "图片（JPEG、PNG、WebP、AVIF、GIF、BMP、TIFF）", "en": "Images (JPEG, PNG, WebP, AVIF, GIF, BMP, TIFF)"},
    "det.empty": {"zh": "拖入图片开始检测，或打开“加入示例图片”。图片只在内存中处理，不会保存。",
                  "en": "Drop images here to start, or switch on “Add example images”. Images are processed in "
                  "memory and never saved."},
    "det.threshold": {"zh": "判定阈值", "en": "Threshold"},
    "det.threshold_help": {
        "zh": "伪造概率不低于阈值即判为“伪造”，低于 {real_below:.0%} 为“未发现生成痕迹”，介于两者之间为“不确定”。"
        "默认值在验证集上选定：被判为“伪造”的真实人脸不超过 5%，被判为“未发现生成痕迹”的伪造人脸不超过 5%。",
        "en": "At or above the threshold the verdict is “fake”; below {real_below:.0%}, “no traces found”; in between, "
        "“uncertain”. The default is chosen on the validation set so that at most 5% of real faces "
        "are called fake and at most 5% of fakes get “no traces found”.",
    },
    "det.threshold_effect": {
        "zh": "阈值越低，抓到的伪造越多，但也会把更多真实照片误判为伪造；阈值越高则相反。",
        "en": "A lower threshold catches more fakes but flags more real photos; a higher one the reverse.",
    },
    "det.limits": {
        "zh": "局限：检测器有两个分支。人脸分支只在 128 像素的 FFHQ 真实人脸与 StyleGAN2、DCGAN、修复过的人脸和贴入生成人脸的伪造上训练过，"
        "它的融合头只从真实人脸学过接缝（与自身稍加变化的副本或另一张训练人脸融合，或重新填充一块），对换脸只能抓到一部分；"
        "图像分支在约 50 种扩散模型的图片与相机、ImageNet 照片上训练，以原始分辨率分块看整张图。没有人脸、或人脸与人脸分支学过的差别太大时，"
        "由图像分支判断；图片太小或几乎没有细节时，它回答“无法判断”。它对没见过的生成器、严重压缩、缩小或截图的图片仍可能出错"
        "（各类生成器上的实测见“检测器报告”页）。结果是证据，不是定论：“未发现生成痕迹”不能证明图片是真实的。",
        "en": "Limits: the detector has two branches. The face branch was trained only on 128 px FFHQ real faces "
        "against StyleGAN2, DCGAN, inpainted faces and real faces with a generated face pasted in, and its blend "
        "head learned seams from real faces alone (each blended with an altered copy of itself or with "
        "another training face, or partly refilled), so it catches only some face swaps; the image "
        "branch, on pictures of about 50 diffusion models against camera and ImageNet photos, looks at the whole "
        "picture in tiles at its own resolution. With no face, or a face unlike those the face branch learned, "
        "the image branch judges; a picture too small or without fine detail gets “cannot judge”. It can still "
        "be wrong on generators it has not seen and on heavily compressed, shrunk or screenshotted images (the "
        "Detector report page shows how often, per kind of generator). Treat it as evidence, not proof: “no "
        "traces found” does not prove an image authentic.",
    },
    "det.progress": {"zh": "正在检测 {i}/{n}：{name}", "en": "Judging {i}/{n}: {name}"},
    "det.table": {"zh": "全部结果", "en": "All results"},
    "det.col.thumbnail": {"zh": "缩略图", "en": "Picture"},
    "det.col.file": {"zh": "文件", "en": "File"},
    "det.col.verdict": {"zh": "结论", "en": "Verdict"},
    "det.col.probability": {"zh": "伪造概率", "en": "P(fake)"},
    "det.col.faces": {"zh": "人脸数", "en": "Faces"},
    "det.col.evidence": {"zh": "依据", "en": "Decided by"},
    "det.col.provenance": {"zh": "标识/水印", "en": "Label / watermark"},
    "det.col.notes": {"zh": "说明", "en": "Notes"},
    "det.download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "det.download_json": {"zh": "下载结果（JSON）", "en": "Download JSON"},
    "det.examples": {"zh": "加入示例图片", "en": "Add example images"},
    "det.examples_help": {"zh": "两张真实人脸（FFHQ）、两张 StyleGAN2 生成的人脸，和一张本应用刚生成并导出的人脸（带标识和水印）。",
                          "en": "Two real faces (FFHQ), two StyleGAN2 faces, and a face this app generates and exports "
                          "now (labelled and watermarked)."},
    "det.session": {"zh": "或选择本次会话生成的图片（按下载时的样子：带标识和水印）",
                    "en": "Or pick images made in this session (as downloaded: labelled and watermarked)"},
    "det.session_placeholder": {"zh": "选择本次生成或修改的图片", "en": "Choose images made in this session"},
    "det.session_help": {"zh": "在“生成人脸”“图像修复”或“换脸”页送来检测的图片会出现在这里，按下载时的样子（放大到至少 256 像素，带标识和水印）。",
                         "en": "Images sent from the Generate page (“Repair / detect”), the Repair page (“Send to "
                         "detector”) or the Face swap page (“Send to the detector”) appear here, as their download "
                         "would be (enlarged to at least 256 px, labelled and watermarked)."},
    "det.freq_title": {"zh": "频率证据：频谱", "en": "Frequency evidence: the spectrum"},
    "det.freq_intro": {
        "zh": "左：检测器所看区域（128 像素人脸裁剪）的对数功率谱，中心为低频。右：按频率环平均的曲线，"
        "绿色带为 2000 张真实训练人脸的 5%–95% 范围，虚线为 StyleGAN2 人脸的中位数。生成器常在高频处偏离。",
        "en": "Left: log power spectrum of what the detector judged (the 128 px face crop), low frequencies in the "
        "centre. Right: its average over rings; the green band is the 5-95% range of 2,000 real training faces, the "
        "dotted line the StyleGAN2 faces' median. Generators often stray at high frequencies.",
    },
    "det.freq_outside": {"zh": "高频部分有 {share:.0%} 落在真实人脸范围之外。这只是线索，不是结论。",
                         "en": "{share:.0%} of the high-frequency bins fall outside the real faces' range. A clue, not a verdict."},
    "det.launder_title": {"zh": "洗图实验：如果有人转发它？", "en": "Launder experiment: what if someone re-shares it?"},
    "det.launder_intro": {
        "zh": "聊天软件和社交网站会重新压缩、缩小、裁剪图片，截图会重新渲染。调整滑块，看看还剩下哪些证据。",
        "en": "Chat apps and social sites re-compress, shrink and crop images; screenshots re-render them. Move the "
        "sliders and see which evidence is left.",
    },
    "det.launder_jpeg": {"zh": "JPEG 质量", "en": "JPEG quality"},
    "det.launder_keep": {"zh": "原文件", "en": "original"},
    "det.launder_scale": {"zh": "缩放比例", "en": "Resize"},
    "det.launder_crop": {"zh": "裁剪比例", "en": "Crop"},
    "det.launder_screenshot": {"zh": "截图重渲染", "en": "Screenshot re-render"},
    "det.launder_kept": {"zh": "保留", "en": "kept"},
    "det.launder_lost": {"zh": "丢失", "en": "lost"},
    "det.launder_absent": {"zh": "原图就没有", "en": "not present"},
    "det.launder_bits_help": {"zh": "原图水印中仍能正确读出的比特比例（原图没有本应用水印时不适用）。",
                              "en": "Share of the original watermark's bits still read correctly (n/a when the original has none of ours)."},
    "det.launder_sweep": {"zh": "显示不同 JPEG 质量下的曲线", "en": "Show the sweep over JPEG quality"},
    "det.launder_sweeping": {"zh": "正在模拟转发……", "en": "Imitating re-shares..."},
    "det.launder_lesson": {
        "zh": "结论：任何一次重新编码都会丢掉元数据标识（TC260、C2PA）；水印能扛住一部分；检测器的判断也会随之漂移。"
        "所以既要显式标识，也要隐式水印，还要检测器——单靠哪一个都不够。",
        "en": "Lesson: any re-encoding drops metadata labels (TC260, C2PA); the watermark survives some of it; the "
        "detector's judgement drifts too. That is why the rules ask for visible labels and hidden marks, and why "
        "detectors are still needed: no single one is enough.",
    },
    "chart.spectrum": {"zh": "对数功率谱", "en": "Log power spectrum"},
    "chart.profile": {"zh": "频谱环形平均", "en": "Azimuthal profile"},
    "chart.real_band": {"zh": "真实人脸 5%–95%", "en": "real faces 5-95%"},
    "chart.stylegan_median": {"zh": "StyleGAN2 中位数", "en": "StyleGAN2 median"},
    "chart.this_image": {"zh": "这张图", "en": "this image"},
    "chart.frequency": {"zh": "频率（相对奈奎斯特频率）", "en": "frequency (fraction of Nyquist)"},
    "chart.log_power": {"zh": "相对对数功率", "en": "relative log power"},
    "chart.detector_p": {"zh": "检测器伪造概率", "en": "Detector P(fake)"},
    "chart.bit_accuracy": {"zh": "水印比特正确率", "en": "Watermark bit accuracy"},
    "chart.launder": {"zh": "重新压缩后的证据", "en": "Evidence after re-compression"},
    "chart.jpeg_quality": {"zh": "JPEG 质量", "en": "JPEG quality"},
    "chart.roc": {"zh": "ROC 曲线", "en": "ROC curve"},
    "chart.fpr": {"zh": "假阳性率（真图被判假）", "en": "false-positive rate (real called fake)"},
    "chart.tpr": {"zh": "真阳性率（假图被抓到）", "en": "true-positive rate (fakes caught)"},
    "chart.pr": {"zh": "精确率-召回率曲线", "en": "Precision-recall curve"},
    "chart.recall": {"zh": "召回率", "en": "recall"},
    "chart.precision": {"zh": "精确率", "en": "precision"},
    "chart.confusion": {"zh": "混淆矩阵（当前阈值）", "en": "Confusion matrix (current threshold)"},
    "chart.predicted": {"zh": "检测器判断", "en": "detector says"},
    "chart.truth": {"zh": "真实情况", "en": "truth"},
    "chart.reliability": {"zh": "校准图", "en": "Reliability diagram"},
    "chart.observed": {"zh": "实际伪造比例", "en": "observed share of fakes"},
    "chart.perfect": {"zh": "完美校准", "en": "perfect calibration"},
    "chart.predicted_p": {"zh": "预测的伪造概率", "en": "predicted P(fake)"},
    "chart.observed_share": {"zh": "实际伪造比例", "en": "observed share of fakes"},
    "nav.report": {"zh": "检测器有多准", "en": "How good is the detector?"},
    "rep.title": {"zh": "检测器有多准？", "en": "How good is the detector?"},
    "rep.intro": {
        "zh": "在从未参与训练的验证图片上测量：ROC 与精确率-召回率曲线、当前阈值下的混淆矩阵、校准图，以及按来源的 AUC。"
        "也可以上传你自己的真图和假图来重新计算。",
        "en": "Measured on validation images the detector never trained on: ROC and precision-recall curves, the "
        "confusion matrix at the current threshold, the reliability diagram and AUC per source. Or upload your own "
        "real and fake images and recompute.",
    },
    "rep.source": {"zh": "数据", "en": "Data"},
    "rep.source.stored": {"zh": "随权重保存的验证结果", "en": "Validation results stored with the weights"},
    "rep.source.own": {"zh": "我自己的图片", "en": "My own images"},
    "rep.no_scores": {"zh": "没有找到随权重保存的验证结果（运行 python -m detectors scores 生成）。",
                      "en": "No stored validation results next to the weights (make them with python -m detectors scores)."},
    "rep.stored_how": {
        "zh": "验证集：FFHQ 验证集真实人脸 1000 张；StyleGAN2 验证集人脸 1000 张；本应用 DCGAN 生成的人脸（种子从 1,000,000 起）；"
        "用未参与训练的掩码经经典算法修复过的真实人脸。只看像素，不看标识。",
        "en": "Validation split: 1,000 FFHQ val real faces; 1,000 StyleGAN2 val faces; the app's DCGAN faces (seeds "
        "from 1,000,000); val real faces inpainted by the classical methods with held-out masks. Pixels only, no labels.",
    },
    "rep.pick_source": {"zh": "混淆矩阵和校准图使用的伪造来源", "en": "Fake source for the confusion matrix and reliability diagram"},
    "rep.ece": {"zh": "期望校准误差（ECE）：{ece:.3f}。越接近 0，显示的概率越可信。",
                "en": "Expected calibration error (ECE): {ece:.3f}. The closer to 0, the more the shown probabilities can be taken at face value."},
    "rep.table_title": {"zh": "按来源", "en": "Per source"},
    "rep.col.source": {"zh": "来源", "en": "Source"},
    "rep.col.n": {"zh": "图片数", "en": "Images"},
    "rep.col.flagged": {"zh": "判为伪造的比例", "en": "Called fake"},
    "rep.col.ci": {"zh": "AUC 的 95% 置信区间", "en": "AUC, 95% interval"},
    "rep.table_note": {"zh": "真实人脸一行的“判为伪造的比例”就是误报率；其他行是抓到的比例。AUC 与阈值无关。"
                             "对同样来源的图片，真正的 AUC 有 95% 的把握落在置信区间内：图片越少，区间越宽；"
                             "目标值若落在区间内，这批数据还不足以说明达标与否。",
                       "en": "For real faces, “called fake” is the false-alarm rate; for the other rows it is the share caught. AUC does not depend on the threshold. "
                             "For images from the same sources, the true AUC lies inside its 95% interval with 95% confidence: "
                             "the fewer the images, the wider the interval; a target inside it is neither shown met nor shown missed."},
    "rep.src.ffhq_real": {"zh": "真实人脸（FFHQ）", "en": "real faces (FFHQ)"},
    "rep.src.stylegan2": {"zh": "StyleGAN2 人脸", "en": "StyleGAN2 faces"},
    "rep.src.dcgan": {"zh": "本应用的 DCGAN 人脸", "en": "the app's DCGAN faces"},
    "rep.src.inpaint_classical": {"zh": "经典算法修复的人脸", "en": "faces repaired by classical inpainting"},
    "rep.src.faceswap": {"zh": "本应用换脸的人脸（从未训练过）", "en": "the app's face swaps (never trained on)"},
    "rep.src.imagenet_real": {"zh": "真实照片（ImageNet 验证集）", "en": "real photos (ImageNet val)"},
    "rep.src.camera_real": {"zh": "相机原片（训练时留出的机型）", "en": "camera photos (models held out of training)"},
    "rep.image_title": {"zh": "没有人脸的图片：图像分支在没见过的生成器上",
                        "en": "Pictures without faces: the image branch on generators it never saw"},
    "rep.image_note": {
        "zh": "每个家族的生成器都没有参与训练。“判为伪造”使用图像分支自己的阈值 {threshold:.0%}：真实照片那一行就是误报率，"
        "生成器那一行就是抓到的比例（例如 0.9 表示十张抓到九张）。区间越宽，说明图片越少、结论越不确定。",
        "en": "No generator of these families was trained on. “Called fake” uses the image branch's own threshold "
        "({threshold:.0%}): on a real row it is the false-alarm rate, on a generator row the share caught (0.9: "
        "nine in ten). The wider the interval, the fewer the pictures and the less certain the figure."},
    "rep.col.called_fake": {"zh": "判为伪造", "en": "Called fake"},
    "rep.col.kind": {"zh": "类别", "en": "Kind"},
    "rep.kind.real": {"zh": "真实", "en": "real"},
    "rep.kind.fake": {"zh": "生成", "en": "generated"},
    "rep.src.your_fakes": {"zh": "你的伪造图片", "en": "your fakes"},
    "rep.src.your_real": {"zh": "你的真实图片", "en": "your real images"},
    "rep.own_real": {"zh": "真实图片", "en": "Real images"},
    "rep.own_fake": {"zh": "伪造/生成的图片", "en": "Fake / generated images"},
    "rep.own_note": {"zh": "只用像素判断（忽略标识和水印），图片只在内存中处理。",
                     "en": "Judged on pixels only (labels and watermarks ignored); images stay in memory."},
    "rep.own_abstained": {
        "zh": "{n} 张图片检测器无法判断（太小或几乎没有细节），不计入下面的数字：{names}",
        "en": "{n} image(s) the detector cannot judge (too small, or almost no fine detail) are left out "
        "of the figures below: {names}"},
    "rep.own_empty": {"zh": "两边各至少上传一张可读的图片。", "en": "Upload at least one readable image on each side."},
    "rep.gand_title": {"zh": "GAN 自己的判别器能当检测器吗？", "en": "Can a GAN's own discriminator be a detector?"},
    "rep.gand_intro": {
        "zh": "训练 GAN 时，判别器 D 只和自己的生成器 G 对抗。我们按 DCGAN 的结构重建了人脸 GAN 的 D，只用它的 G 生成的图片训练，"
        "然后和我们的检测器在同一批图片上比较 AUC。",
        "en": "In GAN training, the discriminator D only ever plays against its own generator G. We rebuilt the face "
        "GAN's D (DCGAN layout), trained it only against that G's images, and compare its AUC with our detector's "
        "on the same images.",
    },
    "rep.col.ours": {"zh": "我们的检测器 AUC", "en": "Our detector AUC"},
    "rep.col.gand": {"zh": "GAN 判别器 AUC", "en": "GAN discriminator AUC"},
    "rep.gand_lesson": {
        "zh": "GAN 的判别器只学会了识别它自己的生成器的破绽。AUC 0.5 等于瞎猜；低于 0.5 说明它反而把那种伪造排得比真实照片“更真”。"
        "遇到别的生成器或修复，它接近或低于瞎猜。检测器需要见过多种伪造方式。",
        "en": "A GAN's discriminator learns only its own generator's flaws. An AUC of 0.5 is guessing; below 0.5 it "
        "ranks those fakes as more real than real photos. On other generators and on repairs it is near or below "
        "guessing. A forensic detector must be trained on many kinds of fakes.",
    },
    "rep.gand_missing": {"zh": "没有找到 GAN 判别器的结果。", "en": "No results stored for the GAN discriminator."},
    "rep.gand_own": {"zh": "这个比较使用保存的验证结果：请在上方选择“随权重保存的验证结果”。",
                     "en": "This comparison uses the stored validation results: choose them above."},
    "det.pick": {"zh": "查看详情", "en": "Details for"},
    "det.original": {"zh": "原图与人脸框", "en": "Original with faces"},
    "det.original_no_faces": {"zh": "原图（未找到人脸）", "en": "Original (no face found)"},
    "det.overlay": {"zh": "可疑区域热力图", "en": "Where it looks generated"},
    "det.opacity": {"zh": "热力图透明度", "en": "Heatmap opacity"},
    "det.probability": {"zh": "伪造概率 {p:.0%}", "en": "Probability of fake: {p:.0%}"},
    "verdict.real": {"zh": "未发现生成痕迹", "en": "no traces found"},
    "verdict.fake": {"zh": "伪造", "en": "fake"},
    "verdict.uncertain": {"zh": "不确定", "en": "uncertain"},
    "verdict.unknown": {"zh": "无法判断", "en": "cannot judge"},
    "det.says.unknown.too_small": {
        "zh": "**无法判断**：图片太小（短边不到 32 像素），像素里没有可供判断的证据。下面的来源检查仍然有效。",
        "en": "**Cannot judge**: the picture is too small (under 32 px on its short side) to carry evidence in its "
        "pixels. The provenance checks below still work."},
    "det.says.unknown.flat": {
        "zh": "**无法判断**：图片几乎没有细节（空白、纯色或严重模糊），像素里没有生成器或相机留下的痕迹可看。下面的来源检查仍然有效。",
        "en": "**Cannot judge**: the picture has almost no fine detail (blank, flat colour or heavily blurred), so "
        "its pixels carry no trace of a generator or a camera to look at. The provenance checks below still work."},
    "det.says.unknown.no_face": {
        "zh": "**无法判断**：图中没有找到人脸。这个检测器只学过判断人脸，对其他图片给出的数字没有意义，所以它不下结论。"
        "下面的来源检查（隐形水印、AI 生成标识、C2PA）对任何图片都有效。",
        "en": "**Cannot judge**: no face was found. This detector learned to judge faces only; a number from it "
        "about other pictures would mean nothing, so it gives none. The provenance checks below (invisible "
        "watermark, AI-generated labels, C2PA) work on any image."},
    "det.says.unknown.unfamiliar": {
        "zh": "**无法判断**：找到的人脸与检测器学过的人脸差别太大（在它自己的特征空间里远离全部训练人脸）。"
        "它的数字在这里没有意义，所以它不下结论。常见原因：其他生成器（如扩散模型）、绘画或卡通、极端光照、严重压缩。",
        "en": "**Cannot judge**: the face found is unlike every face the detector learned from (far from its "
        "training faces in its own feature space). Its number would mean nothing here, so it gives none. "
        "Common causes: another kind of generator (a diffusion model, say), a painting or cartoon, extreme "
        "light, heavy compression."},
    "det.no_heatmap": {"zh": "检测器不下结论时不显示热力图。", "en": "No heatmap: the detector does not judge this image."},
    "det.face_unfamiliar": {"zh": "人脸 {i}：陌生，无法判断", "en": "Face {i}: unfamiliar, cannot judge"},
    "det.says.real": {"zh": "检测器**未发现生成痕迹**（伪造概率 {p:.0%}）。这不能证明图片是真实的：检测器只认得它学过的生成方式。",
                      "en": "The detector found **no traces of generation** (probability of fake {p:.0%}). That does "
                      "not prove the image authentic: it knows only the kinds of fakes it learned."},
    "det.says.fake": {"zh": "检测器认为这张图是**伪造/生成**的（伪造概率 {p:.0%}）。",
                      "en": "The detector thinks this image is **fake / generated** (probability of fake {p:.0%})."},
    "det.says.uncertain": {"zh": "检测器**无法确定**（伪造概率 {p:.0%}：低于“伪造”的阈值，但不够低，不能说未发现生成痕迹）。",
                           "en": "The detector is **not sure** (probability of fake {p:.0%}: below the threshold for "
                                 "“fake”, but not low enough to say that no traces were found)."},
    "det.judged.faces": {"zh": "判断依据：找到的 {n} 张人脸中最可疑的一张。",
                         "en": "Judged on the most suspicious of the {n} face(s) found."},
    "det.judged.whole_image": {
        "zh": "没有找到人脸：图像分支以原始分辨率分块判断了整张图（{tiles} 块，每块 256 像素）。",
        "en": "No face found: the image branch judged the whole picture at its own resolution ({tiles} tile(s) of "
        "256 px)."},
    "det.judged.whole_image_unfamiliar": {
        "zh": "找到的人脸与人脸分支学过的差别太大：由图像分支以原始分辨率分块判断整张图（{tiles} 块，每块 256 像素）。",
        "en": "The faces found are unlike those the face branch learned, so the image branch judged the whole "
        "picture at its own resolution ({tiles} tile(s) of 256 px)."},
    "det.evidence.generated": {"zh": "决定判断的证据：生成器在脸上留下的痕迹。",
                               "en": "What decided: traces a generator leaves in a face."},
    "det.evidence.blend": {"zh": "决定判断的证据：脸部周围的融合边界（这张脸像是被拼接上去的）。",
                           "en": "What decided: a blending boundary around the face (it looks stitched in)."},
    "det.evidence.repair": {"zh": "决定判断的证据：一处修补过的区域（脸的一部分像是被重新填充过）。",
                            "en": "What decided: a repaired region (part of the face looks refilled)."},
    "det.image_also": {
        "zh": "图像分支（整张图，不看人脸）：{verdict}，伪造概率 {p:.0%}。",
        "en": "The image branch (the whole picture, not the faces): {verdict}, probability of fake {p:.0%}."},
    "det.overlay_tiles": {"zh": "图像分支：每个小格看起来像生成的程度", "en": "Image branch: how generated each cell looks"},
    "det.decided.detector": {"zh": "结论来自像素（判别器）。", "en": "The verdict comes from the pixels (the discriminator)."},
    "det.says.label.watermark": {
        "zh": "**AI 生成**：带有本应用的隐形水印，它是深度伪造实验室导出的。",
        "en": "**AI-generated**: it carries this app's invisible watermark, so Deepfake Lab exported it."},
    "det.says.label.tc260_label": {
        "zh": "**声明为 AI 生成**：文件带有 TC260 “AI生成”隐式标识（这是声明，可被复制）。",
        "en": "**Declared AI-generated**: the file carries a TC260 “AI-generated” implicit label (a claim, which can "
        "be copied)."},
    "det.says.label.c2pa": {
        "zh": "**声明为 AI 制作**：{signer} 签名的 C2PA 内容凭证（{trust}）声明：{claim}。",
        "en": "**Declared AI-made** by {signer}'s C2PA Content Credentials ({trust}): {claim}."},
    "det.says.label.iptc_label": {
        "zh": "**声明为 AI 制作**：文件的 IPTC 元数据写着数字来源类型“{code}”（{iptc_claim}；这是声明，可被改写或删除）。",
        "en": "**Declared AI-made**: the file's IPTC metadata gives digital source type “{code}” ({iptc_claim}; a "
        "claim, which can be rewritten or removed)."},
    "det.pixels_say": {"zh": "**像素怎么说**（判别器）：{verdict}，伪造概率 {p:.0%}",
                       "en": "**What the pixels say** (the discriminator): {verdict}, probability of fake {p:.0%}"},
    "det.pixels_say_unknown": {"zh": "**像素怎么说**（判别器）：无法判断（{reason}）",
                               "en": "**What the pixels say** (the discriminator): cannot judge ({reason})"},
    "det.abstained.no_face": {"zh": "没有找到人脸", "en": "no face found"},
    "det.abstained.too_small": {"zh": "图片太小", "en": "too small"},
    "det.abstained.flat": {"zh": "几乎没有细节", "en": "almost no fine detail"},
    "det.abstained.unfamiliar": {"zh": "人脸与学过的差别太大", "en": "a face unlike those it learned"},
    "det.label_says.watermark": {"zh": "**标识怎么说**：本应用的隐形水印——深度伪造实验室导出的 AI 生成图片",
                                 "en": "**What the label says**: this app's invisible watermark, an AI image exported by "
                                 "Deepfake Lab"},
    "det.label_says.tc260_label": {"zh": "**标识怎么说**：TC260 隐式标识，声明“AI生成”",
                                   "en": "**What the label says**: a TC260 implicit label declaring “AI-generated”"},
    "det.label_says.c2pa": {"zh": "**标识怎么说**：C2PA 内容凭证，签名者 {signer}（{trust}），制作工具 {generator}：{claim}",
                            "en": "**What the label says**: C2PA Content Credentials signed by {signer} ({trust}), made "
                            "with {generator}: {claim}"},
    "det.label_says.iptc_label": {"zh": "**标识怎么说**：IPTC 数字来源类型“{code}”：{iptc_claim}",
                                  "en": "**What the label says**: IPTC digital source type “{code}”: {iptc_claim}"},
    "det.c2pa.trust.trusted": {"zh": "签名者在 C2PA 信任列表上，凭证完好", "en": "signer on the C2PA trust list, manifest intact"},
    "det.c2pa.trust.intact": {"zh": "凭证完好，但签名者不在 C2PA 信任列表上",
                              "en": "manifest intact, signer not on the C2PA trust list"},
    "det.c2pa.trust.altered": {"zh": "已被改动或损坏", "en": "altered or broken"},
    "det.c2pa.claim.generated": {"zh": "整张图由 AI 生成", "en": "the picture was made by AI"},
    "det.c2pa.claim.composite": {"zh": "合成图，其中有 AI 生成的部分", "en": "a composite that includes AI-made parts"},
    "det.c2pa.claim.edited_ai": {"zh": "对一张 AI 生成图片的编辑", "en": "an edit of an AI-made image"},
    "det.c2pa.claim.none": {"zh": "没有声明 AI 制作", "en": "no AI making declared"},
    "det.decided_note": {
        "zh": "做出结论的是**{by}**，不是像素：文件的伪造概率因此记为 {p:.0%}。像素本身的判断见左边。",
        "en": "The **{by}** decided, not the pixels: the file's probability of fake is set to {p:.0%} by it. What the "
        "pixels alone say is on the left."},
    "det.prov.c2pa": {"zh": "C2PA 内容凭证", "en": "C2PA content credentials"},
    "det.prov.iptc": {"zh": "IPTC 数字来源类型", "en": "IPTC digital source type"},
    "det.by.detector": {"zh": "判别器", "en": "discriminator"},
    "det.by.watermark": {"zh": "水印", "en": "watermark"},
    "det.by.tc260_label": {"zh": "TC260 标识", "en": "TC260 label"},
    "det.by.c2pa": {"zh": "C2PA 凭证", "en": "C2PA"},
    "det.by.iptc_label": {"zh": "IPTC 标识", "en": "IPTC label"},
    "det.faces_title": {"zh": "每张人脸", "en": "Each face"},
    # No-break spaces (\u00a0): a narrow column wraps a caption only between its two parts.
    "det.face_caption": {"zh": "人脸\u00a0{i}：{p:.0%}", "en": "Face\u00a0{i}:\u00a0{p:.0%}"},
    "det.face_caption_gan_d": {"zh": "人脸\u00a0{i}：{p:.0%} · \u2060GAN\u00a0判\u2060别\u2060器\u00a0{g:.0%}",
                               "en": "Face\u00a0{i}:\u00a0{p:.0%} · GAN's\u00a0D\u00a0{g:.0%}"},
    "det.gan_d_note": {
        "zh": "“GAN 判别器”：本应用人脸 GAN 的判别器 D（min_G max_D 中的 D；我们训练了两个，取更倾向“生成”的那个），"
        "只针对这个生成器训练，只认得它的脸；只有它判为“生成”时才计入结论，它判为“真实”不能证明什么。",
        "en": "“GAN's D”: the discriminator D of this app's face GAN (the D in min_G max_D; we trained two and "
        "take the one leaning more to “generated”), trained against that generator only, so it knows only its "
        "faces; it counts towards the verdict only when it says “generated”, since its “real” proves nothing.",
    },
    "det.provenance": {"zh": "来源证据", "en": "Provenance evidence"},
    "det.prov.tc260": {"zh": "TC260 隐式标识", "en": "TC260 implicit label"},
    "det.prov.watermark": {"zh": "本应用水印", "en": "Our watermark"},
    "det.prov.registry": {"zh": "本机导出记录", "en": "This computer's export registry"},
    "det.prov.hints": {"zh": "EXIF / 文本信息", "en": "EXIF / text metadata"},
    "det.prov.status.found": {"zh": "找到", "en": "found"},
    "det.prov.status.not_found": {"zh": "未找到", "en": "not found"},
    "det.prov.status.damaged": {"zh": "已损坏", "en": "damaged"},
    "det.prov.status.not_checked": {"zh": "未检查", "en": "not checked"},
    "det.prov.raw": {"zh": "详细数据（原始 JSON）", "en": "Details (raw JSON)"},
    "det.prov.says.c2pa.trusted": {
        "zh": "C2PA 内容凭证，由 **{signer}** 签名（证书 {name}），签名者在 C2PA 信任列表（{date}）上，签名后文件未被改动。"
        "制作工具：{generator}。它声明：{claim}。",
        "en": "C2PA Content Credentials signed by **{signer}** (certificate {name}), a signer on the C2PA trust list "
        "({date}); the file is unchanged since signing. Made with {generator}. It declares: {claim}."},
    "det.prov.says.c2pa.intact": {
        "zh": "C2PA 内容凭证，由 **{signer}** 签名（证书 {name}），签名后文件未被改动；但签名者不在 C2PA 信任列表（{date}）上，"
        "“是谁签的”只是它自己的说法。制作工具：{generator}。它声明：{claim}。",
        "en": "C2PA Content Credentials signed by **{signer}** (certificate {name}); the file is unchanged since "
        "signing, but the signer is not on the C2PA trust list ({date}), so who signed is its own word. Made with "
        "{generator}. It declares: {claim}."},
    "det.prov.says.c2pa.altered": {
        "zh": "C2PA 内容凭证与文件**对不上**（{problem}）：签名后文件被改过，或凭证已损坏。它说的话（{claim}，签名者 {signer}）"
        "都不能再信——这件事本身就值得注意。",
        "en": "C2PA Content Credentials that **no longer match the file** ({problem}): it was changed after signing, "
        "or the manifest is broken. Nothing it says ({claim}, signed by {signer}) can be believed, and that itself "
        "is worth knowing."},
    "det.prov.says.iptc.found": {
        "zh": "XMP 元数据中的 IPTC 数字来源类型是“{code}”：{claim}。任何人都能写入或删除这个字段。",
        "en": "The XMP metadata gives IPTC digital source type “{code}”: {claim}. Anyone can write or remove this "
        "field."},
    "det.prov.says.iptc.not_found": {"zh": "没有 IPTC 数字来源类型（大多数文件都没有）。",
                                     "en": "No IPTC digital source type (most files have none)."},
    "det.prov.says.c2pa.damaged": {"zh": "C2PA 凭证已损坏，无法读取。", "en": "C2PA credentials are damaged and cannot be read."},
    "det.prov.says.c2pa.not_found": {"zh": "没有 C2PA 凭证（大多数照片都没有，这说明不了什么）。",
                                     "en": "No C2PA credentials (most photos have none; this proves nothing)."},
    "det.prov.says.tc260.found": {"zh": "有 TC260 “AI生成”隐式标识，制作者：{producer}；像素{integrity}。",
                                  "en": "A TC260 “AI-generated” label is present, producer: {producer}; the pixels {integrity}."},
    "det.prov.says.tc260.damaged": {"zh": "有 TC260 标识，但已损坏或不完整。", "en": "A TC260 label is present but damaged or incomplete."},
    "det.prov.says.tc260.not_found": {"zh": "没有 TC260 隐式标识（可能从未加过，也可能被删除）。",
                                      "en": "No TC260 label (never added, or stripped)."},
    "det.prov.integrity.match": {"zh": "与标识记录一致", "en": "match the label's record"},
    "det.prov.integrity.mismatch": {"zh": "在加标识后被改动过", "en": "were changed after labelling"},
    "det.prov.integrity.unknown": {"zh": "无法核对", "en": "cannot be checked"},
    "det.prov.says.watermark.found": {"zh": "找到本应用的隐形水印：这张图是深度伪造实验室导出的。",
                                      "en": "This app's invisible watermark is present: the image was exported by Deepfake Lab."},
    "det.prov.says.watermark.not_found": {"zh": "没有找到本应用的水印。", "en": "No watermark of this app."},
    "det.prov.says.watermark.damaged": {"zh": "水印残缺，无法可靠读出。", "en": "A damaged watermark that cannot be read reliably."},
    "det.prov.says.registry.exact": {
        "zh": "这个文件本身就是本机（或本服务器上任何用户）从深度伪造实验室导出的：{what}。",
        "en": "This very file was exported by Deepfake Lab on this computer (or by any user of this server): {what}."},
    "det.prov.says.registry.watermark": {
        "zh": "它的水印对应本机（或本服务器）的一次导出：{what}。它就是那次导出的图片，被重新保存、缩放或编辑过。",
        "en": "Its watermark matches an export of this computer (or server): {what}. It is that export, re-saved, "
        "resized or edited."},
    "det.prov.says.registry.similar": {
        "zh": "它看起来像本机（或本服务器）的一次导出（{what}），但既不是那个文件，也没有那次导出的水印："
        "它可能是那次导出所修改的原图，也可能是水印被破坏的副本。这不能证明它是在这里生成的。",
        "en": "It looks like an export of this computer (or server) ({what}) but is neither that file nor carries "
        "its watermark: it may be the picture that export was edited from, or a copy whose watermark was "
        "destroyed. This is no evidence that it was made here."},
    "det.prov.seed": {"zh": "种子 {seed}", "en": "seed {seed}"},
    "det.prov.says.registry.not_found": {"zh": "本机没有导出过它。", "en": "Not exported on this computer."},
    "det.prov.says.registry.damaged": {"zh": "导出记录无法读取。", "en": "The export log cannot be read."},
    "det.prov.says.hints.found": {"zh": "元数据提示：{text}", "en": "Metadata hints: {text}"},
    "det.prov.says.hints.not_found": {"zh": "没有 EXIF 或文本元数据。", "en": "No EXIF or text metadata."},
    "det.prov.says.hints.damaged": {"zh": "元数据无法读取。", "en": "The metadata cannot be read."},
    "det.prov.note": {
        "zh": "元数据只是证据：任何人都可以写入或删除它。没有标识不能证明图片是真实的。",
        "en": "Metadata is evidence, not proof: anyone can write or strip it. A missing label proves nothing.",
    },
    "det.note.first_frame": {"zh": "动图：只检测了第一帧", "en": "animated: first frame judged"},
    "det.note.exif_rotated": {"zh": "已按 EXIF 方向旋转", "en": "rotated as its EXIF says"},
    "det.note.downscaled": {"zh": "图片过大，已缩小", "en": "very large: downscaled"},
    "det.note.converted_16bit": {"zh": "16 位图像已转换为 8 位", "en": "16-bit image converted to 8-bit"},
    "det.note.alpha_removed": {"zh": "透明区域按白色处理", "en": "transparency shown as white"},
    "det.note.converted_cmyk": {"zh": "CMYK 已转换为 RGB", "en": "CMYK converted to RGB"},
    "det.note.grayscale": {"zh": "灰度图", "en": "grayscale"},
    "error.image.empty": {"zh": "{name}：文件是空的。", "en": "{name}: the file is empty."},
    "error.image.not_image": {"zh": "{name}：这不是图片文件（可能只是改了扩展名）。",
                              "en": "{name}: this is not an image (perhaps a renamed file)."},
    "error.image.unsupported": {
        "zh": "{name}：这是 HEIC/HEIF 照片（iPhone 的默认格式），本应用读不了。请先转成 JPEG 再上传"
              "（iPhone：设置 › 相机 › 格式 › 兼容性最佳）。",
        "en": "{name}: this is a HEIC/HEIF photo (the iPhone's default format), which this app cannot read. "
              "Convert it to JPEG and upload again (iPhone: Settings › Camera › Formats › Most Compatible)."},
    "error.image.corrupt": {"zh": "{name}：图片已损坏或不完整。", "en": "{name}: the image is damaged or incomplete."},
    "error.image.too_large": {"zh": "{name}：图片像素过多（可能是“解压炸弹”），已拒绝。",
                              "en": "{name}: too many pixels (a possible decompression bomb); refused."},
    "error.image.too_small": {"zh": "{name}：图片太小，无法检测。", "en": "{name}: the image is too small to judge."},
    "error.image.unreadable": {"zh": "{name}：无法读取文件。", "en": "{name}: the file cannot be read."},
    "error.image.failed": {"zh": "{name}：判断这张图片时出错，已跳过；其他文件照常检测。",
                           "en": "{name}: something went wrong while judging this image; it was skipped and the other files were judged."},
    "error.detector_weights": {
        "zh": "无法加载检测器权重：{detail}",
        "en": "The detector's weights cannot be loaded: {detail}",
    },
    # --- errors ----------------------------------------------------------------------------
    "error.checkpoint.not_found": {"zh": "找不到生成器文件：{detail}", "en": "Generator file not found: {detail}"},
    "error.checkpoint.not_a_checkpoint": {
        "zh": "这不是 PyTorch 模型文件：{detail}",
        "en": "This is not a PyTorch model file: {detail}",
    },
    "error.checkpoint.unsafe_pickle": {
        "zh": "已拒绝：该文件包含加载时会执行的 Python 代码，未执行任何内容。（{detail}）",
        "en": "Refused: this file contains Python code that would run on load. Nothing was "
        "executed. ({detail})",
    },
    "error.checkpoint.wrong_keys": {
        "zh": "文件中的权重名称与 DCGAN 生成器不符：{detail}",
        "en": "The weights in this file do not match a DCGAN generator: {detail}",
    },
    "error.checkpoint.wrong_shapes": {
        "zh": "权重形状与 DCGAN 生成器不符：{detail}",
        "en": "Weight shapes do not match a DCGAN generator: {detail}",
    },
    "error.checkpoint.bad_output": {
        "zh": "该模型不输出 (N, 3, H, W) 图像：{detail}",
        "en": "This model does not output (N, 3, H, W) images: {detail}",
    },
    "error.checkpoint.sha256_mismatch": {
        "zh": "预训练权重文件已被修改或损坏，请重新安装 gan-face-generate：{detail}",
        "en": "The pretrained weights file is altered or damaged; reinstall gan-face-generate: {detail}",
    },
}


def detect_language() -> str:
    """The browser's language if we speak it (zh-CN, zh-TW, en-US...), else English."""
    locale = (getattr(st.context, "locale", None) or "").lower()
    for code in LANGUAGES:
        if locale.startswith(code):
            return code
    return DEFAULT_LANGUAGE


def current_language() -> str:
    lang = st.session_state.get(_STATE_KEY)
    return lang if lang in LANGUAGES else detect_language()


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language, with ``{name}`` fields filled from ``values``."""
    text = STRINGS[key][current_language()]
    return text.format(**values) if values else text


def upload_label(key: str) -> str:
    """An uploader's label with the server's per-file limit (.streamlit/config.toml) in the user's language."""
    return t(key) + t("upload.limit", mb=st.get_option("server.maxUploadSize"))


# Streamlit writes a few words of its own in English only: the file uploader's button and hint. In
# Chinese they are replaced by CSS (the text is kept for screen readers' sake in the label).
_CHROME_CSS = {
    "zh": """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "上传"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "把文件拖到这里，或点击“上传”"; font-size: 0.875rem; }
</style>""",
}


def localise_streamlit() -> None:
    """Translate Streamlit's own English words on the page (call once per run, from the shell)."""
    css = _CHROME_CSS.get(current_language())
    if css:
        st.html(css)


def _on_switch() -> None:
    st.session_state[_STATE_KEY] = st.session_state[_WIDGET_KEY]
    _resend_widget_values()


# Widgets whose value can be set through st.session_state (not buttons, uploads, chat or JSON triggers).
_RESENDABLE = {"string_value", "string_array_value", "int_value", "double_value", "double_array_value", "bool_value"}


def _resend_widget_values() -> None:
    """Give every keyed widget its own value again, so the next run sends it to the browser.

    A radio, select box or pill keeps, in the browser, the *label* of its choice; after a language
    switch that label is in the old language and matches no option, so the widget shows nothing
    chosen while the server still holds the choice. A value set through session state is sent
    with the widget and replaces the browser's. Streamlit keeps which widget is which in internal
    tables; should they change, this does nothing (the choices stay right, only their display lags).
    """
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        state = get_session_state()._state
        keys = dict(state._key_id_mapper.id_key_mapping)
        metadata = state._new_widget_state.widget_metadata
    except Exception:  # noqa: BLE001 - internals of another Streamlit version: leave the widgets be
        return
    for widget_id, key in keys.items():
        meta = metadata.get(widget_id)
        if key == _WIDGET_KEY or meta is None or meta.value_type not in _RESENDABLE:
            continue
        try:
            st.session_state[key] = st.session_state[key]
        except Exception:  # noqa: BLE001 - a widget that will not take it keeps the browser's display
            continue


def language_switch() -> None:
    """Sidebar radio that sets the language for every page; starts at the browser's locale.

    The choice lives under its own session key, not the widget's: Streamlit drops a widget's
    state on runs where the widget is not drawn, and the language must outlive those.
    """
    lang = current_language()
    st.session_state[_STATE_KEY] = lang
    options = list(LANGUAGES)
    st.sidebar.radio(
        "语言 / Language",
        options=options,
        index=options.index(lang),
        format_func=LANGUAGES.__getitem__,
        key=_WIDGET_KEY,
        on_change=_on_switch,
        horizontal=True,
    )
