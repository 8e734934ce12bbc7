// The app's one icon set: Lucide's SVG icons (lucide-react), imported by name so the bundle
// carries only those used. Emoji are kept for what people write (comments, reactions) and never
// used as interface icons: they render as empty boxes where no emoji font is installed.
//
// Every icon here is decorative (lucide-react marks it aria-hidden): the button or link around
// it carries the accessible name.
export {
  ArrowLeft, ArrowRight, Award, Ban, Bell, Camera, Cat, Check, ChevronDown, ChevronLeft, ChevronRight,
  ChevronUp, CircleCheck, Clapperboard, Film, Flame, FolderOpen, Gamepad2, Headphones, Heart, Hourglass,
  Infinity as InfinityIcon, Maximize, Megaphone, MessageCircle, Minimize, Moon, Pause, Play, Plus, Rainbow,
  Reply, Rocket, Search, Share2, Sparkles, Star, Target, Timer, TriangleAlert, Trophy, User, UserPlus,
  Vote, Volume2, VolumeX, X, Zap, Laugh, Skull, Palette, Ghost, Shield, Medal, Settings, Tent, Mountain, Handshake, Crown,
} from 'lucide-react';
